package dev.reverserepl.common.change;

/**
 * What a single Spanner mod did to a row. INSERT and UPDATE both carry the full new row (NEW_ROW
 * capture).
 */
public enum ModKind {
  INSERT,
  UPDATE,
  DELETE;

  public boolean isDelete() {
    return this == DELETE;
  }

  /** Parses Beam's {@code ModType} name. */
  public static ModKind fromModType(String name) {
    if (name == null) {
      throw new IllegalArgumentException("modType is missing");
    }
    switch (name) {
      case "INSERT":
        return INSERT;
      case "UPDATE":
        return UPDATE;
      case "DELETE":
        return DELETE;
      default:
        throw new IllegalArgumentException("unknown modType '" + name + "'");
    }
  }
}
