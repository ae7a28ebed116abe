package dev.reverserepl.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.launcher.Rr;
import dev.reverserepl.launcher.operate.OperateFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every {@code bin/rr} command written in the repository's READMEs and docs works as written:
 * synopses (with {@code [...]}, {@code <...>}, {@code |}) name only commands and options that
 * exist; concrete commands parse; the cheap ones that need no cloud ({@code --help}, generate,
 * replay, status, verify) run — replay and friends against shards on the embedded MariaDB, written
 * where the command's shards file is.
 */
class ReadmeCommandsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Set<String> RUNNABLE = Set.of("generate", "replay", "status", "verify");

  @TempDir Path work;

  record Doc(Path file, int line, String command) {
    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line + ": " + command;
    }
  }

  @Test
  void everyDocumentedCommandParsesAndTheCheapOnesRun() throws IOException {
    List<Doc> commands = commands();
    assertTrue(commands.size() >= 15, "bin/rr commands found: " + commands);
    int synopses = 0;
    int parsed = 0;
    int ran = 0;
    for (Doc d : commands) {
      List<String> args = tokens(d.command());
      args.remove(0);
      if (isSynopsis(d.command())) {
        checkSynopsis(d, args);
        synopses++;
        continue;
      }
      CommandLine cl = Rr.commandLine();
      CommandLine.ParseResult r = parse(cl, d, args);
      parsed++;
      String sub = r.hasSubcommand() ? r.subcommand().commandSpec().name() : "";
      boolean help = args.contains("--help") || args.contains("-h");
      if (help || RUNNABLE.contains(sub)) {
        List<String> mapped = mapPaths(args);
        if (RUNNABLE.contains(sub) && !help) {
          provideShards(mapped);
        }
        OperateFixtures.Run run = OperateFixtures.run(mapped.toArray(String[]::new));
        assertEquals(0, run.code(), d + "\n" + run.out());
        ran++;
      }
    }
    System.out.printf(
        "documented bin/rr commands: %d synopses checked, %d commands parsed, %d run%n",
        synopses, parsed, ran);
    assertTrue(ran >= 4, "ran " + ran);
  }

  private static CommandLine.ParseResult parse(CommandLine cl, Doc d, List<String> args) {
    try {
      return cl.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(d + " does not parse: " + e.getMessage(), e);
    }
  }

  /** Each command and each --option of a synopsis exists. */
  private static void checkSynopsis(Doc d, List<String> args) {
    CommandLine root = Rr.commandLine();
    CommandLine sub = root.getSubcommands().get(args.get(0));
    assertTrue(sub != null, d + ": no command " + args.get(0));
    if (sub.getCommandSpec().unmatchedArgsBindings().size() > 0) {
      return; // rr run passes unknown options on to the pipelines
    }
    for (String t : args) {
      Matcher m = Pattern.compile("^[\\[(]*(--[a-z][a-z0-9-]*)").matcher(t);
      if (m.find()) {
        String name = m.group(1);
        assertTrue(
            sub.getCommandSpec().findOption(name) != null
                || root.getCommandSpec().findOption(name) != null,
            d + ": rr " + args.get(0) + " has no option " + name);
      }
    }
  }

  private static boolean isSynopsis(String command) {
    return command.matches(".*[\\[\\]<>|…].*") || command.contains("(--");
  }

  /**
   * Relative paths: files of the repository stay (absolute), anything else goes to the test's work
   * directory.
   */
  private List<String> mapPaths(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (!a.startsWith("-")
          && !a.contains("://")
          && (a.contains("/") || a.matches(".*\\.(json|jsonl)$"))) {
        Path inRepo = ROOT.resolve(a);
        out.add(Files.exists(inRepo) ? inRepo.toString() : work.resolve(a).toString());
      } else {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * A shards file the command names but that does not exist yet: shards on the embedded MariaDB.
   */
  private static void provideShards(List<String> args) throws IOException {
    int i = args.indexOf("--shards");
    if (i < 0 || Files.exists(Path.of(args.get(i + 1)))) {
      return;
    }
    Path file = Path.of(args.get(i + 1));
    EmbeddedMySql db = EmbeddedMySql.shared();
    List<Shard> shards = new ArrayList<>();
    for (String id : List.of("shard1", "shard2")) {
      db.recreateDatabase("readme_" + id);
      db.runSqlFile(
          "readme_" + id, ROOT.resolve("launcher/src/main/resources/sample/mysql-schema.sql"));
      shards.add(db.shard(id, "readme_" + id));
    }
    Files.createDirectories(file.getParent());
    Files.move(
        OperateFixtures.writeShardsFile(file.getParent(), shards),
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * {@code bin/rr} lines of fenced and indented code blocks (continuations joined) and of table
   * cells.
   */
  static List<Doc> commands() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> s = Files.list(ROOT)) {
      s.map(p -> p.resolve("README.md")).filter(Files::exists).sorted().forEach(files::add);
    }
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Doc> out = new ArrayList<>();
    for (Path f : files) {
      List<String> lines = Files.readAllLines(f);
      boolean fenced = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.startsWith("```")) {
          fenced = !fenced;
          continue;
        }
        String code = fenced ? line.strip() : line.startsWith("    ") ? line.strip() : null;
        if (code != null && code.startsWith("bin/rr ")) {
          int start = i + 1;
          StringBuilder cmd = new StringBuilder();
          while (code.endsWith("\\") && i + 1 < lines.size()) {
            cmd.append(code, 0, code.length() - 1).append(' ');
            code = lines.get(++i).strip();
          }
          cmd.append(code);
          // An indented synopsis goes on in deeper-indented lines.
          while (!fenced
              && i + 1 < lines.size()
              && lines.get(i + 1).startsWith("      ")
              && !lines.get(i + 1).strip().startsWith("bin/rr ")) {
            cmd.append(' ').append(lines.get(++i).strip());
          }
          out.add(new Doc(f, start, cmd.toString().replaceAll("\\s+#.*$", "").strip()));
        } else if (!fenced && line.startsWith("|")) {
          Matcher m = Pattern.compile("\\| `(bin/rr [^`]+)` \\|").matcher(line);
          if (m.find()) {
            out.add(new Doc(f, i + 1, m.group(1).replace("\\|", "|")));
          }
        }
      }
    }
    return out;
  }

  /** Splits like a shell: whitespace, with single and double quotes. */
  static List<String> tokens(String command) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)").matcher(command);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }
}
