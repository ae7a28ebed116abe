package dev.reverserepl.ordering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reverserepl.common.config.ConfigException;
import dev.reverserepl.common.config.WireNames;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.sink.SinkType;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The mode options keep their spellings; a wrong one is named with every right one. */
class ModeOptionsTest {

  @Test
  void theOptionsKeepTheirSpellings() {
    assertEquals(List.of("pubsub", "kafka", "none"), WireNames.names(SinkType.class));
    assertEquals(List.of("forward_migration", "none"), WireNames.names(FiltrationMode.class));
    for (SinkType t : SinkType.values()) {
      assertEquals(t, SinkType.parse(t.wireName()));
    }
    for (FiltrationMode m : FiltrationMode.values()) {
      assertEquals(m, FiltrationMode.parse(m.wireName()));
    }
  }

  @Test
  void theDefaultsOfTheOptionsParse() {
    OrderingOptions o = PipelineOptionsFactory.create().as(OrderingOptions.class);
    assertEquals(SinkType.PUBSUB, SinkType.parse(o.getSinkType()));
    assertEquals(FiltrationMode.FORWARD_MIGRATION, FiltrationMode.parse(o.getFiltrationMode()));
  }

  @Test
  void aWrongSpellingIsRefusedNamingTheOptionAndTheValues() {
    ConfigException sink =
        assertThrows(ConfigException.class, () -> SinkType.parse("carrier-pigeon"));
    assertEquals(
        "options: field 'sinkType': must be pubsub, kafka or none, got 'carrier-pigeon'",
        sink.getMessage());
    // the pipelines take the exact spelling only
    ConfigException filter =
        assertThrows(ConfigException.class, () -> FiltrationMode.parse("FORWARD_MIGRATION"));
    assertEquals(
        "options: field 'filtrationMode': must be forward_migration or none, got"
            + " 'FORWARD_MIGRATION'",
        filter.getMessage());
  }
}
