package dev.reverserepl.templates.jar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a shaded template jar holds: its entries, the ones a production jar must not carry, and how
 * its bytes split over dependency groups (so the README's size figures can be reproduced from any
 * build).
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>J1: an entry is forbidden when its path starts with one of the {@link #FORBIDDEN_PREFIXES}
 *       (embedded database and broker, Scala, Spring, the DirectRunner, slf4j-simple, the local run
 *       helpers) or with one of the extra prefixes the caller names (the other pipeline), or when
 *       it is a compiled test class.
 *   <li>J2: a dependency group is the first three path segments of a class entry ({@code
 *       com/google/cloud}), or the first segment for resources; groups are ranked by compressed
 *       bytes.
 * </ol>
 */
public final class JarContents {
  /** Rule J1: what no template jar may carry. */
  public static final List<String> FORBIDDEN_PREFIXES =
      List.of(
          "ch/vorburger/",
          "kafka/server/",
          "org/apache/kafka/server/",
          "scala/",
          "org/springframework/",
          "org/apache/beam/runners/direct/",
          "org/slf4j/simple/",
          "dev/reverserepl/common/embedded/",
          "dev/reverserepl/common/workload/",
          "dev/reverserepl/ordering/testing/",
          "dev/reverserepl/launcher/",
          "dev/reverserepl/bench/",
          "dev/reverserepl/templates/");

  private final Path jar;
  private final long size;
  private final List<ZipEntry> entries;

  private JarContents(Path jar, long size, List<ZipEntry> entries) {
    this.jar = jar;
    this.size = size;
    this.entries = entries;
  }

  /** Reads the entry list of {@code jar}. */
  public static JarContents of(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<ZipEntry> list = new ArrayList<>();
      zip.stream().forEach(list::add);
      return new JarContents(jar, Files.size(jar), List.copyOf(list));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read jar " + jar, e);
    }
  }

  public Path jar() {
    return jar;
  }

  public long sizeBytes() {
    return size;
  }

  public int entryCount() {
    return entries.size();
  }

  /** Rule J1: every forbidden entry, in jar order. */
  public List<String> forbiddenEntries(List<String> extraPrefixes) {
    List<String> prefixes = new ArrayList<>(FORBIDDEN_PREFIXES);
    prefixes.addAll(extraPrefixes);
    List<String> out = new ArrayList<>();
    for (ZipEntry e : entries) {
      String name = e.getName();
      if (prefixes.stream().anyMatch(name::startsWith) || isTestClass(name)) {
        out.add(name);
      }
    }
    return out;
  }

  /** Rule J2: the {@code limit} largest dependency groups by compressed bytes, largest first. */
  public List<Map.Entry<String, Long>> largestGroups(int limit) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (ZipEntry e : entries) {
      if (!e.isDirectory()) {
        bytes.merge(group(e.getName()), Math.max(0, e.getCompressedSize()), Long::sum);
      }
    }
    return bytes.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(limit)
        .map(x -> Map.entry(x.getKey(), x.getValue()))
        .toList();
  }

  static String group(String name) {
    String[] parts = name.split("/");
    if (!name.endsWith(".class") || parts.length < 2) {
      return parts[0];
    }
    int n = Math.min(3, parts.length - 1);
    return String.join("/", java.util.Arrays.copyOf(parts, n));
  }

  private static boolean isTestClass(String name) {
    if (!name.startsWith("dev/reverserepl/") || !name.endsWith(".class")) {
      return false;
    }
    String simple = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\$.*|\\.class$", "");
    return simple.endsWith("Test") || simple.endsWith("IT");
  }

  /** One line for a report: path, size in MB, entry count and the three largest groups. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(jar.getFileName())
        .append(": ")
        .append(String.format("%.1f MB", size / 1_000_000.0))
        .append(", ")
        .append(entries.size())
        .append(" entries; largest groups:");
    for (Map.Entry<String, Long> g : largestGroups(3)) {
      sb.append(' ')
          .append(g.getKey())
          .append(String.format(" %.1f MB", g.getValue() / 1_000_000.0))
          .append(',');
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}
