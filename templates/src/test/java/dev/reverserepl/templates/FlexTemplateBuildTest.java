package dev.reverserepl.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reverserepl.common.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hands each checked-in metadata file to {@code gcloud dataflow flex-template build --print-only},
 * which parses it into a template spec and prints it without contacting Google Cloud (an existing
 * {@code --image} is named, so nothing is built or uploaded; a private, empty gcloud configuration
 * is used). The spec gcloud prints must carry every parameter exactly as the file says, so no field
 * is misspelled or dropped.
 */
class FlexTemplateBuildTest {
  @TempDir Path config;

  @ParameterizedTest
  @EnumSource(PipelineTemplate.class)
  void gcloudAcceptsTheMetadataAndKeepsEveryField(PipelineTemplate template) throws Exception {
    Optional<Path> gcloud = gcloud();
    if (gcloud.isEmpty()) {
      System.out.println(
          "SKIPPED (no gcloud): FlexTemplateBuildTest "
              + template
              + " — the gcloud SDK is not on PATH");
      Assumptions.abort("no gcloud");
    }
    Path metadata = Path.of(template.metadataPath()).toAbsolutePath();
    String image =
        "us-east1-docker.pkg.dev/example-project/reverse-replication/"
            + template.directory()
            + ":test";
    ProcessBuilder pb =
        new ProcessBuilder(
            gcloud.get().toString(),
            "dataflow",
            "flex-template",
            "build",
            "gs://example-bucket/templates/" + template.directory() + ".json",
            "--image=" + image,
            "--sdk-language=JAVA",
            "--metadata-file=" + metadata,
            "--print-only",
            "--quiet");
    pb.environment().put("CLOUDSDK_CONFIG", config.toString());
    pb.environment().put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    pb.environment().put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    pb.environment().put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    Path err = config.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcloud did not finish");
    assertEquals(0, p.exitValue(), "gcloud failed: " + Files.readString(err));

    JsonNode spec = Json.mapper().readTree(out.substring(out.indexOf('{')));
    JsonNode want = Json.mapper().readTree(Files.readString(metadata));
    assertEquals(image, spec.path("image").asText());
    assertEquals(want.path("name"), spec.path("metadata").path("name"));
    assertEquals(
        want.path("parameters"),
        spec.path("metadata").path("parameters"),
        "gcloud's spec of " + metadata + " differs from the file");
    System.out.println(
        "gcloud flex-template build --print-only accepted "
            + metadata.getFileName()
            + " of "
            + template
            + ": "
            + spec.path("metadata").path("parameters").size()
            + " parameters");
  }

  private static Optional<Path> gcloud() throws IOException {
    String path = System.getenv().getOrDefault("PATH", "");
    List<Path> dirs =
        Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    for (Path d : dirs) {
      Path candidate = d.resolve("gcloud");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
