package dev.reverserepl.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reverserepl.common.json.Json;
import dev.reverserepl.templates.spec.ParamType;
import dev.reverserepl.templates.spec.ParameterSpec;
import dev.reverserepl.templates.spec.ParameterSpecs;
import java.beans.Introspector;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.Validation;

/**
 * Derives Flex Template metadata from a pipeline's {@code PipelineOptions} interface and the
 * person-written table of {@link ParameterSpecs}, so the template and the pipeline cannot disagree.
 * Rules:
 *
 * <ol>
 *   <li>T1: every getter of the interface and of its project super-interfaces ({@code
 *       dev.reverserepl...}) is an option, named as Beam names it ({@code getSessionFilePath} →
 *       {@code sessionFilePath}); Beam's own options and {@code @Hidden} getters are not.
 *       Parameters are sorted by name.
 *   <li>T2: {@code @Description} is the help text (an option without one is an error); the label
 *       comes from the table.
 *   <li>T3: a {@code @Default.*} value is the {@code defaultValue};
 *       {@code @Default.InstanceFactory} gives none, nor does a parameter the template requires.
 *   <li>T4: {@code @Validation.Required}, or {@link ParameterSpec#required()} in the table, makes
 *       the parameter required ({@code isOptional: false}); every other one is optional.
 *   <li>T5: every option has an entry in the table and every entry names an option; an entry marked
 *       {@link ParameterSpec#local()} (emulator hosts, change-record files, test limits) is not a
 *       template parameter.
 *   <li>T6: the type is the table's, else {@code BOOLEAN} for a boolean, {@code NUMBER} for an
 *       integer or floating option, {@code TEXT} otherwise. {@code ENUM} carries the table's {@code
 *       enumOptions}, and the default must be one of them.
 *   <li>T7: the table's {@code regexes} are written out, and a default value must match them.
 * </ol>
 *
 * Run {@code main} to rewrite the checked-in files; the templates module's tests fail while they
 * are stale.
 */
public final class TemplateMetadataGenerator {
  private static final String PROJECT_PACKAGE = "dev.reverserepl.";

  private TemplateMetadataGenerator() {}

  public static TemplateMetadata generate(
      Class<?> options, String name, String description, Map<String, ParameterSpec> specs) {
    if (!options.isInterface()) {
      throw new IllegalArgumentException(options.getName() + " is not a PipelineOptions interface");
    }
    Map<String, TemplateParameter> byName = new TreeMap<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Class<?> type : projectInterfaces(options)) {
      for (Method m : type.getDeclaredMethods()) {
        String property = property(m);
        if (property == null || m.isAnnotationPresent(Hidden.class) || !seen.add(property)) {
          continue;
        }
        ParameterSpec spec = specs.get(property);
        if (spec == null) {
          throw new IllegalArgumentException(
              type.getName()
                  + "."
                  + m.getName()
                  + ": option '"
                  + property
                  + "' has no entry in the template's ParameterSpecs table (label, type, patterns, or local())");
        }
        if (!spec.localOnly()) {
          byName.put(property, parameter(type, m, property, spec));
        }
      }
    }
    for (String named : specs.keySet()) {
      if (!seen.contains(named)) {
        throw new IllegalArgumentException(
            "ParameterSpecs names '" + named + "', which is not an option of " + options.getName());
      }
    }
    return new TemplateMetadata(
        name, description, true, false, true, new ArrayList<>(byName.values()));
  }

  private static TemplateParameter parameter(
      Class<?> type, Method m, String property, ParameterSpec spec) {
    Description help = m.getAnnotation(Description.class);
    if (help == null || help.value().isBlank()) {
      throw new IllegalArgumentException(
          type.getName()
              + "."
              + m.getName()
              + " has no @Description: it would be a template parameter without help text");
    }
    boolean required =
        m.isAnnotationPresent(Validation.Required.class) || spec.requiredInTemplate();
    String defaultValue = required ? null : defaultValue(m);
    ParamType paramType = spec.type() != null ? spec.type() : inferredType(m.getReturnType());
    String where = type.getSimpleName() + "." + property;
    if (defaultValue != null
        && paramType == ParamType.ENUM
        && spec.enumOptions().stream().noneMatch(o -> o.value().equals(defaultValue))) {
      throw new IllegalArgumentException(
          where + ": default '" + defaultValue + "' is not one of its enumOptions");
    }
    for (String regex : spec.regexes()) {
      if (defaultValue != null && !Pattern.compile(regex).matcher(defaultValue).matches()) {
        throw new IllegalArgumentException(
            where + ": default '" + defaultValue + "' does not match " + regex);
      }
    }
    return new TemplateParameter(
        property,
        spec.label(),
        help.value().trim(),
        !required,
        defaultValue,
        paramType.name(),
        spec.enumOptions(),
        spec.regexes());
  }

  private static ParamType inferredType(Class<?> t) {
    if (t == boolean.class || t == Boolean.class) {
      return ParamType.BOOLEAN;
    }
    if (t.isPrimitive() || Number.class.isAssignableFrom(t)) {
      return ParamType.NUMBER;
    }
    return ParamType.TEXT;
  }

  public static TemplateMetadata generate(PipelineTemplate template) throws ClassNotFoundException {
    return generate(
        Class.forName(template.optionsClass()),
        template.title(),
        template.description(),
        template.specs());
  }

  public static String toJson(TemplateMetadata metadata) {
    try {
      return Json.mapper()
              .writer(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(metadata)
              .replace("\r\n", "\n")
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TemplateMetadata parse(String json) throws IOException {
    return Json.mapper().readValue(json, TemplateMetadata.class);
  }

  /**
   * Where a checked-in metadata file disagrees with the one generated from the options, per
   * parameter and field (name, label, help text, default, required, type, choices, patterns); empty
   * when they agree.
   */
  public static List<String> differences(TemplateMetadata generated, TemplateMetadata checkedIn) {
    List<String> out = new ArrayList<>();
    Map<String, TemplateParameter> want = index(generated);
    Map<String, TemplateParameter> have = index(checkedIn);
    for (String name : want.keySet()) {
      if (!have.containsKey(name)) {
        out.add("option '" + name + "' has no metadata parameter");
      }
    }
    for (String name : have.keySet()) {
      if (!want.containsKey(name)) {
        out.add("metadata parameter '" + name + "' is not an option of the pipeline");
      }
    }
    for (Map.Entry<String, TemplateParameter> e : want.entrySet()) {
      TemplateParameter h = have.get(e.getKey());
      if (h == null) {
        continue;
      }
      TemplateParameter w = e.getValue();
      compare(out, e.getKey(), "helpText", w.helpText(), h.helpText());
      compare(out, e.getKey(), "defaultValue", w.defaultValue(), h.defaultValue());
      compare(out, e.getKey(), "isOptional (required)", w.isOptional(), h.isOptional());
      compare(out, e.getKey(), "label", w.label(), h.label());
      compare(out, e.getKey(), "paramType", w.paramType(), h.paramType());
      compare(out, e.getKey(), "enumOptions", w.enumOptions(), h.enumOptions());
      compare(out, e.getKey(), "regexes", w.regexes(), h.regexes());
    }
    compare(out, "<template>", "name", generated.name(), checkedIn.name());
    compare(out, "<template>", "description", generated.description(), checkedIn.description());
    return out;
  }

  /**
   * {@code TemplateMetadataGenerator [templatesDir]}: rewrites {@code
   * <templatesDir>/<template>/metadata.json} for each pipeline whose options are on the classpath
   * (default directory: {@code templates}, i.e. run from the repository root). {@code
   * templates/build.sh --metadata} runs it.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "templates");
    for (PipelineTemplate t : PipelineTemplate.values()) {
      Path file = dir.resolve(t.metadataPath());
      try {
        Class.forName(t.optionsClass());
      } catch (ClassNotFoundException e) {
        System.out.println(
            "not rewritten: " + file + " (" + t.optionsClass() + " is not on the classpath)");
        continue;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, toJson(generate(t)), StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    }
  }

  private static Map<String, TemplateParameter> index(TemplateMetadata m) {
    Map<String, TemplateParameter> map = new TreeMap<>();
    m.parameters().forEach(p -> map.put(p.name(), p));
    return map;
  }

  private static void compare(
      List<String> out, String param, String field, Object want, Object have) {
    if (want == null ? have != null : !want.equals(have)) {
      out.add(
          param
              + ": "
              + field
              + " is "
              + render(have)
              + " in metadata.json but "
              + render(want)
              + " in the options");
    }
  }

  private static String render(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }

  private static Set<Class<?>> projectInterfaces(Class<?> options) {
    Set<Class<?>> out = new LinkedHashSet<>();
    collect(options, out);
    return out;
  }

  private static void collect(Class<?> type, Set<Class<?>> out) {
    if (!type.getName().startsWith(PROJECT_PACKAGE) && !out.isEmpty()) {
      return;
    }
    if (out.add(type)) {
      for (Class<?> parent : type.getInterfaces()) {
        collect(parent, out);
      }
    }
  }

  private static String property(Method m) {
    if (m.getParameterCount() != 0
        || Modifier.isStatic(m.getModifiers())
        || m.isDefault()
        || m.isSynthetic()) {
      return null;
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return Introspector.decapitalize(n.substring(3));
    }
    if (n.startsWith("is")
        && n.length() > 2
        && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
      return Introspector.decapitalize(n.substring(2));
    }
    return null;
  }

  private static final Map<Class<? extends Annotation>, Function<Annotation, String>> DEFAULTS =
      Map.of(
          Default.String.class, a -> ((Default.String) a).value(),
          Default.Integer.class, a -> String.valueOf(((Default.Integer) a).value()),
          Default.Long.class, a -> String.valueOf(((Default.Long) a).value()),
          Default.Double.class, a -> String.valueOf(((Default.Double) a).value()),
          Default.Float.class, a -> String.valueOf(((Default.Float) a).value()),
          Default.Boolean.class, a -> String.valueOf(((Default.Boolean) a).value()),
          Default.Character.class, a -> String.valueOf(((Default.Character) a).value()),
          Default.Short.class, a -> String.valueOf(((Default.Short) a).value()),
          Default.Byte.class, a -> String.valueOf(((Default.Byte) a).value()),
          Default.Enum.class, a -> ((Default.Enum) a).value());

  private static String defaultValue(Method m) {
    for (Annotation a : m.getAnnotations()) {
      Function<Annotation, String> f = DEFAULTS.get(a.annotationType());
      if (f != null) {
        return f.apply(a);
      }
    }
    return null;
  }
}
