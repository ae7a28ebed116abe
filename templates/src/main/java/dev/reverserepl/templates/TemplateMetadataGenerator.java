package dev.reverserepl.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reverserepl.common.json.Json;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.Validation;

/**
 * Derives Flex Template metadata from a pipeline's {@code PipelineOptions} interface, so the template and the
 * pipeline cannot disagree. Rules:
 * <ol>
 *   <li>T1: every getter of the interface and of its project super-interfaces ({@code dev.reverserepl...}) is a
 *       parameter, named as Beam names the option ({@code getSessionFilePath} → {@code sessionFilePath}); Beam's own
 *       options and {@code @Hidden} getters are not. Parameters are sorted by name.
 *   <li>T2: {@code @Description} is the help text (an option without one is an error); the label is the name in
 *       words ({@code Session file path}).
 *   <li>T3: a {@code @Default.*} value is the {@code defaultValue}; {@code @Default.InstanceFactory} gives none.
 *   <li>T4: {@code @Validation.Required} makes the parameter required ({@code isOptional: false}); every other one is
 *       optional.
 * </ol>
 * Run {@code main} to rewrite the checked-in files; the templates module's tests fail while they are stale.
 */
public final class TemplateMetadataGenerator {
  private static final String PROJECT_PACKAGE = "dev.reverserepl.";

  private TemplateMetadataGenerator() {}

  public static TemplateMetadata generate(Class<?> options, String name, String description) {
    if (!options.isInterface()) {
      throw new IllegalArgumentException(options.getName() + " is not a PipelineOptions interface");
    }
    Map<String, TemplateParameter> byName = new TreeMap<>();
    for (Class<?> type : projectInterfaces(options)) {
      for (Method m : type.getDeclaredMethods()) {
        String property = property(m);
        if (property == null || m.isAnnotationPresent(Hidden.class) || byName.containsKey(property)) {
          continue;
        }
        Description help = m.getAnnotation(Description.class);
        if (help == null || help.value().isBlank()) {
          throw new IllegalArgumentException(type.getName() + "." + m.getName()
              + " has no @Description: it would be a template parameter without help text");
        }
        String defaultValue = defaultValue(m);
        boolean required = m.isAnnotationPresent(Validation.Required.class);
        byName.put(property, new TemplateParameter(property, label(property), help.value().trim(), !required,
            defaultValue, "TEXT"));
      }
    }
    return new TemplateMetadata(name, description, true, false, true, new ArrayList<>(byName.values()));
  }

  public static TemplateMetadata generate(PipelineTemplate template) throws ClassNotFoundException {
    return generate(Class.forName(template.optionsClass()), template.title(), template.description());
  }

  public static String toJson(TemplateMetadata metadata) {
    try {
      return Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metadata)
          .replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TemplateMetadata parse(String json) throws IOException {
    return Json.mapper().readValue(json, TemplateMetadata.class);
  }

  /**
   * Where a checked-in metadata file disagrees with the one generated from the options, per parameter and field
   * (name, help text, default, required); empty when they agree.
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
    }
    compare(out, "<template>", "name", generated.name(), checkedIn.name());
    compare(out, "<template>", "description", generated.description(), checkedIn.description());
    return out;
  }

  /**
   * {@code TemplateMetadataGenerator [templatesDir]}: rewrites {@code <templatesDir>/<template>/metadata.json} for
   * each pipeline whose options are on the classpath (default directory: {@code templates}, i.e. run from the
   * repository root). {@code templates/build.sh --metadata} runs it.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "templates");
    for (PipelineTemplate t : PipelineTemplate.values()) {
      Path file = dir.resolve(t.metadataPath());
      try {
        Class.forName(t.optionsClass());
      } catch (ClassNotFoundException e) {
        System.out.println("not rewritten: " + file + " (" + t.optionsClass() + " is not on the classpath)");
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

  private static void compare(List<String> out, String param, String field, Object want, Object have) {
    if (want == null ? have != null : !want.equals(have)) {
      out.add(param + ": " + field + " is " + render(have) + " in metadata.json but " + render(want)
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
    if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.isSynthetic()) {
      return null;
    }
    String n = m.getName();
    if (n.startsWith("get") && n.length() > 3) {
      return Introspector.decapitalize(n.substring(3));
    }
    if (n.startsWith("is") && n.length() > 2
        && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
      return Introspector.decapitalize(n.substring(2));
    }
    return null;
  }

  private static final Map<Class<? extends Annotation>, Function<Annotation, String>> DEFAULTS = Map.of(
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

  /** {@code sourceShardsFilePath} → {@code Source shards file path}. */
  static String label(String property) {
    String words = property.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
    String lower = words.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}
