package dev.reverserepl.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireNamesTest {
  enum Colour implements WireNamed {
    LIGHT_RED("light_red"),
    BLUE("blue"),
    NONE("none");

    private final String wireName;

    Colour(String wireName) {
      this.wireName = wireName;
    }

    @Override
    public String wireName() {
      return wireName;
    }
  }

  enum Single implements WireNamed {
    ONLY;

    @Override
    public String wireName() {
      return "only";
    }
  }

  @Test
  void exactSpellingIsFoundAndOthersAreNot() {
    assertEquals(Optional.of(Colour.LIGHT_RED), WireNames.find(Colour.class, "light_red"));
    assertEquals(Optional.empty(), WireNames.find(Colour.class, "LIGHT_RED"));
    assertEquals(Optional.empty(), WireNames.find(Colour.class, "light-red"));
    assertEquals(Optional.empty(), WireNames.find(Colour.class, null));
    assertEquals(Optional.of(Colour.BLUE), WireNames.findIgnoringCase(Colour.class, "Blue"));
    assertEquals(Optional.empty(), WireNames.findIgnoringCase(Colour.class, null));
  }

  @Test
  void parseErrorNamesTheSourceTheOptionAndEverySpelling() {
    assertEquals(Colour.NONE, WireNames.parse(Colour.class, "options", "colour", "none"));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> WireNames.parse(Colour.class, "options", "colour", "green"));
    assertEquals(
        "options: field 'colour': must be light_red, blue or none, got 'green'", e.getMessage());
    assertEquals("colour", e.field());
  }

  @Test
  void alternativesReadAsProse() {
    assertEquals(List.of("light_red", "blue", "none"), WireNames.names(Colour.class));
    assertEquals("light_red, blue or none", WireNames.alternatives(Colour.class));
    assertEquals("only", WireNames.alternatives(Single.class));
  }
}
