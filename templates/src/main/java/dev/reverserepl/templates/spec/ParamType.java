package dev.reverserepl.templates.spec;

/**
 * The Flex Template parameter types this project uses (Dataflow's {@code ParameterType}; it picks
 * the input).
 */
public enum ParamType {
  TEXT,
  NUMBER,
  BOOLEAN,
  ENUM,
  GCS_READ_FILE,
  GCS_WRITE_FOLDER
}
