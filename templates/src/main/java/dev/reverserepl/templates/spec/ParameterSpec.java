package dev.reverserepl.templates.spec;

import java.util.List;
import java.util.Objects;

/**
 * What a person says about one pipeline option as a template parameter, beyond what the Options
 * interface says: its label, input type, choices, the patterns a value must match, whether the
 * template requires it even though the pipeline has a default (local runs), and whether it is a
 * local/test knob that the template leaves out. Immutable; {@code withX} returns a copy.
 */
public record ParameterSpec(
    String label,
    ParamType type,
    List<EnumOption> enumOptions,
    List<String> regexes,
    boolean requiredInTemplate,
    boolean localOnly) {
  public ParameterSpec {
    Objects.requireNonNull(label, "label");
    enumOptions = List.copyOf(enumOptions);
    regexes = List.copyOf(regexes);
    if (label.isBlank() && !localOnly) {
      throw new IllegalArgumentException("a template parameter needs a label");
    }
    if ((type == ParamType.ENUM) != !enumOptions.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + label + "': ENUM parameters and only they carry enumOptions");
    }
  }

  /** A parameter shown with {@code label}; its type follows the option's Java type unless set. */
  public static ParameterSpec of(String label) {
    return new ParameterSpec(label, null, List.of(), List.of(), false, false);
  }

  /** A local or test knob: not a template parameter. */
  public static ParameterSpec local() {
    return new ParameterSpec("", null, List.of(), List.of(), false, true);
  }

  public ParameterSpec withType(ParamType value) {
    return new ParameterSpec(label, value, enumOptions, regexes, requiredInTemplate, localOnly);
  }

  public ParameterSpec withChoices(EnumOption... options) {
    return new ParameterSpec(
        label, ParamType.ENUM, List.of(options), regexes, requiredInTemplate, localOnly);
  }

  public ParameterSpec withRegex(String regex) {
    return new ParameterSpec(
        label, type, enumOptions, List.of(regex), requiredInTemplate, localOnly);
  }

  /**
   * Required in the template although the pipeline defaults it (the default only serves local
   * runs).
   */
  public ParameterSpec required() {
    return new ParameterSpec(label, type, enumOptions, regexes, true, localOnly);
  }
}
