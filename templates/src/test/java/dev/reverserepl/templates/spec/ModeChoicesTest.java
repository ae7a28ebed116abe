package dev.reverserepl.templates.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reverserepl.common.config.WireNames;
import dev.reverserepl.ordering.filter.FiltrationMode;
import dev.reverserepl.writer.options.BufferType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Console offers exactly the spellings the pipelines take; the ordering job's in-process sink
 * {@code none} is not among them.
 */
class ModeChoicesTest {

  private static List<String> choices(Map<String, ParameterSpec> specs, String option) {
    return specs.get(option).enumOptions().stream().map(EnumOption::value).toList();
  }

  @Test
  void modeParametersOfferTheModesSpellings() {
    List<String> buffers = WireNames.names(BufferType.class);
    assertEquals(buffers, choices(ParameterSpecs.ordering(), "sinkType"));
    assertEquals(buffers, choices(ParameterSpecs.writer(), "bufferType"));
    assertEquals(
        WireNames.names(FiltrationMode.class),
        choices(ParameterSpecs.ordering(), "filtrationMode"));
  }
}
