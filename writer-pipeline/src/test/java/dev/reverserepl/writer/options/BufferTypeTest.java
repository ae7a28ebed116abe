package dev.reverserepl.writer.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.config.WireNames;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class BufferTypeTest {

  @Test
  void bufferTypeKeepsItsSpellingsAndItsDefault() {
    assertEquals(List.of("pubsub", "kafka"), WireNames.names(BufferType.class));
    WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
    assertEquals(BufferType.PUBSUB, BufferType.parse(o.getBufferType()));
    assertEquals(BufferType.KAFKA, BufferType.parse("kafka"));
  }

  @Test
  void aWrongBufferTypeIsRefusedNamingTheOptionAndTheValues() {
    ConfigException e = assertThrows(ConfigException.class, () -> BufferType.parse("Kafka"));
    assertEquals(
        "writer options: field 'bufferType': must be pubsub or kafka, got 'Kafka'", e.getMessage());
    WriterOptions o = PipelineOptionsFactory.create().as(WriterOptions.class);
    o.setBufferType("none");
    ConfigException fromValidator =
        assertThrows(ConfigException.class, () -> WriterOptionsValidator.toConfig(o));
    assertEquals(
        "writer options: field 'bufferType': must be pubsub or kafka, got 'none'",
        fromValidator.getMessage());
  }
}
