package dev.reverserepl.templates.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs in the {@code templates} profile after the shaded jars are built ({@code mvn -pl templates
 * -am verify -Ptemplates}): each Flex Template jar carries its own pipeline and its production
 * dependencies only.
 */
class TemplateJarsIT {
  private static final Path TARGET = Path.of(System.getProperty("templates.target", "target"));
  private static final String VERSION = System.getProperty("templates.version", "0.1.0-SNAPSHOT");

  @Test
  void ruleJ1_orderingJarCarriesNoEmbeddedServerDirectRunnerTestCodeOrWriter() {
    check("ordering", "dev/reverserepl/ordering/OrderingPipeline.class", "dev/reverserepl/writer/");
  }

  @Test
  void ruleJ1_writerJarCarriesNoEmbeddedServerDirectRunnerTestCodeOrOrdering() {
    check("writer", "dev/reverserepl/writer/WriterPipeline.class", "dev/reverserepl/ordering/");
  }

  private static void check(String template, String mainClass, String otherPipeline) {
    Path jar = TARGET.resolve("templates-" + VERSION + "-" + template + ".jar");
    assertTrue(Files.isRegularFile(jar), "shaded jar not built: " + jar.toAbsolutePath());
    JarContents contents = JarContents.of(jar);
    System.out.println("template jar " + contents.summary());
    List<String> forbidden = contents.forbiddenEntries(List.of(otherPipeline));
    assertEquals(
        List.of(),
        forbidden.stream().limit(20).toList(),
        jar.getFileName() + " carries " + forbidden.size() + " forbidden entries");
    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
      assertTrue(
          zip.getEntry(mainClass) != null,
          jar.getFileName() + " lacks its main class " + mainClass);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
