package dev.reverserepl.ordering.filter;

import dev.reverserepl.common.config.WireNamed;
import dev.reverserepl.common.config.WireNames;

/** The {@code filtrationMode} option: which changes the ordering job leaves out. */
public enum FiltrationMode implements WireNamed {
  /** Drops transactions tagged {@code txBy=...}: the forward migration wrote them. */
  FORWARD_MIGRATION("forward_migration"),
  /** Keeps every change. */
  NONE("none");

  private final String wireName;

  FiltrationMode(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** The pipeline option's value, spelled exactly; the error names the option and every value. */
  public static FiltrationMode parse(String value) {
    return WireNames.parse(FiltrationMode.class, "options", "filtrationMode", value);
  }
}
