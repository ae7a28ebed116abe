package dev.reverserepl.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code templates/build.sh --print}: the image repository and the bucket follow the region of the
 * launch.
 */
class BuildScriptTest {
  record Result(int status, String out, String err) {}

  @Test
  void imagesAndBucketAreMadeInTheLaunchRegion() throws Exception {
    Result r = run(List.of("--region=europe-west3", "--print"));
    assertEquals(0, r.status(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.out());
    assertTrue(
        lines
            .get(0)
            .endsWith(
                "gcloud storage buckets create gs://p-reverse-replication --project=p "
                    + "--location=europe-west3"),
        lines.get(0));
    assertTrue(
        lines
            .get(1)
            .contains(
                "--image-gcr-path=europe-west3-docker.pkg.dev/p/reverse-replication/ordering:"
                    + "latest"),
        lines.get(1));
    assertTrue(
        lines
            .get(2)
            .contains(
                "--image-gcr-path=europe-west3-docker.pkg.dev/p/reverse-replication/writer:"
                    + "latest"),
        lines.get(2));
  }

  @Test
  void withoutARegionItStopsAndSaysWhichOneToGive() throws Exception {
    Result r = run(List.of("--print"));
    assertEquals(2, r.status());
    assertTrue(
        r.err().contains("give the launch region: --region=R (the -dataflowRegion of rr launch)"),
        r.err());
  }

  private static Result run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", "build.sh"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PROJECT", "p");
    pb.environment().remove("REGION");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out, err);
  }
}
