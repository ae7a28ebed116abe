package dev.reverserepl.launcher.launch;

import dev.reverserepl.common.config.ConfigException;

/** Checks shared by the parts of {@link LaunchSettings}; every error names the argument. */
final class LaunchArgs {
  static final String SOURCE = "rr launch";

  private LaunchArgs() {}

  static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw bad(name, "is required");
    }
    return value.trim();
  }

  static String blankToDefault(String value, String dflt) {
    return value == null || value.isBlank() ? dflt : value.trim();
  }

  static String emptyToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  static String gcsPath(String value, String name) {
    if (!value.startsWith("gs://")) {
      throw bad(name, "must be a gs:// location of a Flex Template spec, got '" + value + "'");
    }
    return value;
  }

  static ConfigException bad(String field, String problem) {
    return new ConfigException(SOURCE, "", field, problem);
  }
}
