package dev.reverserepl.launcher.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code rr run --pipelines X} JVM started from the test classpath, its output in a log file.
 */
final class RrProcess {
  private static final Pattern API = Pattern.compile("run: control API on (\\S+)");

  private final Process process;
  private final Path log;
  private volatile String apiUrl;

  private RrProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts processes with the same pipeline options every time: the documented restart is the start
   * command.
   */
  static final class Factory {
    private final Path logs;
    private final List<String> args;
    private final List<Path> started = new ArrayList<>();

    Factory(Path logs, List<String> args) throws IOException {
      this.logs = Files.createDirectories(logs);
      this.args = List.copyOf(args);
    }

    RrProcess start(String pipelines) throws IOException {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx768m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.reverserepl.launcher.Rr",
                  "run",
                  "--pipelines=" + pipelines,
                  "--progress-every=5"));
      cmd.addAll(args);
      Path log = logs.resolve(pipelines + "-" + (started.size() + 1) + ".log");
      started.add(log);
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("SPANNER_DISABLE_BUILTIN_METRICS", "true");
      return new RrProcess(pb.start(), log);
    }

    /** The last lines of every process's log, for failure messages. */
    String tails() {
      StringBuilder sb = new StringBuilder();
      for (Path p : started) {
        try {
          List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
          sb.append("---- ").append(p.getFileName()).append('\n');
          lines
              .subList(Math.max(0, lines.size() - 25), lines.size())
              .forEach(l -> sb.append(l).append('\n'));
        } catch (IOException e) {
          sb.append("---- ")
              .append(p.getFileName())
              .append(": ")
              .append(e.getMessage())
              .append('\n');
        }
      }
      return sb.toString();
    }
  }

  /**
   * Waits (at most five minutes: the DirectRunner starts slowly on a busy machine) until the jobs
   * run.
   */
  RrProcess awaitStarted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (Files.readString(log, StandardCharsets.UTF_8).contains(" started\n")) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            log.getFileName()
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(log.getFileName() + " did not start within 5 minutes");
  }

  /** The control API's URL once the process printed it, else null. */
  String apiUrl() {
    if (apiUrl == null && process.isAlive()) {
      try {
        Matcher m = API.matcher(Files.readString(log, StandardCharsets.UTF_8));
        if (m.find()) {
          apiUrl = m.group(1);
        }
      } catch (IOException e) {
        return null;
      }
    }
    return process.isAlive() ? apiUrl : null;
  }

  /** SIGKILL: a crash. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the process cancels its jobs and exits (a drain of a local run). */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
