package dev.reverserepl.launcher.verify;

import dev.reverserepl.common.json.Json;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rr verify}: does every shard hold exactly what Spanner (or the change records) says? */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Compare, per table and shard, the rows Spanner holds (or the change records imply) with the MySQL rows,"
          + " re-checking differences after a delay. Prints a table per table/shard and optionally a JSON report.",
      "Exit code: 0 when equal, 1 on a confirmed mismatch or an unreadable table/shard, 2 on bad input."
    })
public final class VerifyCommand implements Callable<Integer> {
  @Option(
      names = "--session",
      paramLabel = "<file>",
      required = true,
      description = "Session file.")
  String sessionFile;

  @Option(names = "--shards", paramLabel = "<file>", required = true, description = "Shards file.")
  String shardsFile;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Expected expected;

  static final class Expected {
    @Option(
        names = "--spanner",
        paramLabel = "<project/instance/db>",
        description = "Spanner database project/instance/database.")
    String spanner;

    @Option(
        names = "--changes",
        paramLabel = "<path>",
        description = "Change records (file or directory) whose end state is expected.")
    String changes;
  }

  @Option(
      names = "--at",
      paramLabel = "<timestamp>",
      description = "Spanner read timestamp (RFC 3339, UTC); default: now. Only with --spanner.")
  String at;

  @Option(
      names = "--spanner-emulator-host",
      paramLabel = "<host:port>",
      description = "host:port of a Spanner emulator.")
  String emulatorHost;

  @Option(
      names = "--report",
      paramLabel = "<file>",
      description = "Write the JSON report to this file.")
  Path report;

  @Option(
      names = "--state",
      paramLabel = "<file>",
      description = "State file: completed table/shard pairs are skipped on a rerun.")
  Path state;

  @Option(
      names = "--recheck-delay-seconds",
      paramLabel = "<seconds>",
      defaultValue = "5",
      description = "Wait before differences are read again (default: ${DEFAULT-VALUE}).")
  long recheckDelaySeconds;

  @Option(
      names = "--chunk-size",
      paramLabel = "<rows>",
      defaultValue = "1000",
      description = "Rows per page (default: ${DEFAULT-VALUE}).")
  int chunkSize;

  @Option(
      names = "--source-tz",
      paramLabel = "<+HH:MM>",
      defaultValue = "+00:00",
      description =
          "Time-zone offset the writer converts timestamps to (default: ${DEFAULT-VALUE}).")
  String sourceTz;

  @Option(
      names = "--shard-id-fetcher",
      paramLabel = "<class>",
      description =
          "Custom shard-id fetcher the writer routed with (e.g. dev.reverserepl.common.routing.KeyHashShardIdFetcher).")
  String shardIdFetcher;

  @Override
  public Integer call() throws IOException {
    SessionMapping session = SessionMapping.load(sessionFile);
    List<Shard> shards = ShardsFile.load(shardsFile);
    ZoneOffset offset;
    try {
      offset = ZoneOffset.of(sourceTz);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--source-tz: not an offset such as +05:30: " + sourceTz);
    }
    if (at != null && expected.spanner == null) {
      throw new IllegalArgumentException("--at needs --spanner");
    }
    if (recheckDelaySeconds < 0) {
      throw new IllegalArgumentException("--recheck-delay-seconds must not be negative");
    }
    VerifySettings settings =
        VerifySettings.defaults()
            .withChunkSize(chunkSize)
            .withRecheckDelay(Duration.ofSeconds(recheckDelaySeconds))
            .withSourceOffset(offset)
            .withStateFile(state)
            .withShardIdFetcherClass(shardIdFetcher);
    Verifier verifier = new Verifier(session, shards, settings);
    VerificationReport result =
        expected.changes != null
            ? verifier.verifyChanges(expected.changes)
            : verifier.verifySpanner(
                SpannerTarget.parse(expected.spanner, parseAt(at), emulatorHost));
    result.print(System.out);
    if (report != null) {
      if (report.toAbsolutePath().getParent() != null) {
        Files.createDirectories(report.toAbsolutePath().getParent());
      }
      Files.writeString(report, Json.write(result.toJson()));
    }
    return result.matches() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static Optional<Instant> parseAt(String at) {
    if (at == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(at));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--at: not an RFC 3339 UTC timestamp: " + at);
    }
  }
}
