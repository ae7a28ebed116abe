package dev.reverserepl.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fails when a pipeline option and its checked-in template parameter disagree (name, help, default,
 * required).
 */
class TemplateMetadataSyncTest {

  @ParameterizedTest
  @EnumSource(PipelineTemplate.class)
  void checkedInMetadataMatchesTheOptions(PipelineTemplate template) throws Exception {
    assertTrue(
        isPresent(template.optionsClass()), template.optionsClass() + " is not on the classpath");
    Path file = Path.of(template.metadataPath());
    assertTrue(
        Files.exists(file), file.toAbsolutePath() + " is missing; run TemplateMetadataGenerator");
    List<String> diffs =
        TemplateMetadataGenerator.differences(
            TemplateMetadataGenerator.generate(template),
            TemplateMetadataGenerator.parse(Files.readString(file)));
    assertEquals(
        List.of(),
        diffs,
        template.metadataPath()
            + " is stale; regenerate it with "
            + "templates/build.sh --metadata");
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
