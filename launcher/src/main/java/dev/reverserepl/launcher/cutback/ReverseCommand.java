package dev.reverserepl.launcher.cutback;

import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.common.shards.ShardsFile;
import dev.reverserepl.launcher.cli.ExitCodes;
import dev.reverserepl.launcher.operate.ShardConnector;
import dev.reverserepl.launcher.verify.SpannerTarget;
import dev.reverserepl.reverse.ReverseException;
import dev.reverserepl.reverse.ReverseSettings;
import dev.reverserepl.reverse.ReverseShardStatus;
import dev.reverserepl.reverse.ReverseSync;
import dev.reverserepl.reverse.apply.ReversePositionTable;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rr reverse}: after {@code rr commit}, apply the shards' binlogs to Spanner (until a flip
 * back or Ctrl-C); with {@code --flip-back}, return to Spanner → MySQL from the point the reverse
 * direction reached.
 */
@Command(
    name = "reverse",
    mixinStandardHelpOptions = true,
    description = {
      "Without --flip-back: reads every shard's row-format binlog from its commit point (or the position stored in"
          + " Spanner) and applies it to Spanner exactly once, until a flip back or Ctrl-C. Run one process per"
          + " shard with --only-shard at scale; a restarted process continues from Spanner's stored position.",
      "With --flip-back: requires rr block-writes; waits until Spanner holds every shard's binlog, records the flip"
          + " back on every shard (the readers stop) and prints changeStreamStartTimestamp for the forward pipelines.",
      "Exit code: 0 when done (flipped back), 1 on failure, 2 on bad input."
    })
public final class ReverseCommand implements Callable<Integer> {
  @Option(names = "--shards", required = true, description = "Shards file.")
  String shardsFile;

  @Option(names = "--session", required = true, description = "Session file.")
  String sessionFile;

  @Option(names = "--spanner", required = true, paramLabel = "project/instance/database")
  String spanner;

  @Option(names = "--spanner-emulator-host", paramLabel = "HOST:PORT")
  String emulatorHost;

  @Option(names = "--only-shard", description = "Run the reader of this logical shard only.")
  String onlyShard;

  @Option(names = "--dlq", description = "Directory for rows that cannot be written to Spanner.")
  String deadLetterDir;

  @Option(
      names = "--source-tz",
      defaultValue = "+00:00",
      description = "Offset of DATETIME values on the shards.")
  String sourceTz;

  @Option(names = "--flip-back", description = "Return to Spanner → MySQL (see above).")
  boolean flipBack;

  @Option(
      names = "--writer-user",
      description = "MySQL user of the writer (default: each shard's user).")
  String writerUser;

  @Option(names = "--timeout-seconds", defaultValue = "600")
  long timeoutSeconds;

  @Option(names = "--progress-every", defaultValue = "5", paramLabel = "SECONDS")
  int progressEvery;

  @Override
  public Integer call() throws Exception {
    List<Shard> shards =
        ShardsFile.load(shardsFile).stream()
            .filter(s -> onlyShard == null || s.logicalShardId().equals(onlyShard))
            .toList();
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("--only-shard " + onlyShard + " is not in " + shardsFile);
    }
    SessionMapping session = SessionMapping.load(sessionFile);
    ReverseSettings settings =
        ReverseSettings.defaults()
            .withDeadLetterDirectory(deadLetterDir)
            .withSourceOffset(ZoneOffset.of(sourceTz));
    try (SpannerConnection sp =
        SpannerConnection.open(SpannerTarget.parse(spanner, Optional.empty(), emulatorHost))) {
      settings = settings.withSerializeSpannerTransactions(sp.isEmulator());
      sp.preparePositionTable(settings);
      return flipBack
          ? flipBack(shards, session, sp, settings)
          : run(shards, session, sp, settings);
    } catch (ReverseException e) {
      System.out.println("rr reverse: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private int flipBack(
      List<Shard> shards, SessionMapping session, SpannerConnection sp, ReverseSettings settings)
      throws InterruptedException, SQLException {
    WriteBlocker blocker = new WriteBlocker(session, new ShardConnector());
    for (Shard s : shards) {
      if (!blocker.isBlocked(s, writerUser)) {
        System.out.println(
            "rr reverse: cannot flip back: write blocking is not in force on "
                + s.logicalShardId()
                + "; run rr block-writes first");
        return ExitCodes.FAILED;
      }
    }
    Instant start =
        ReverseSync.flipBack(
            shards,
            sp.client(),
            new ReversePositionTable(settings.positionTable()),
            Duration.ofSeconds(timeoutSeconds));
    System.out.println("changeStreamStartTimestamp=" + start);
    return ExitCodes.OK;
  }

  private int run(
      List<Shard> shards, SessionMapping session, SpannerConnection sp, ReverseSettings settings)
      throws InterruptedException {
    ReverseSync sync = ReverseSync.start(shards, session, sp.client(), settings);
    Runtime.getRuntime().addShutdownHook(new Thread(sync::close));
    while (sync.running()) {
      Thread.sleep(Math.max(1, progressEvery) * 1000L);
      for (ReverseShardStatus s : sync.status()) {
        System.out.println(
            "reverse "
                + s.shardId()
                + ": "
                + s.state()
                + " at "
                + s.applied().map(Object::toString).orElse("?")
                + ", "
                + s.transactions()
                + " transactions, "
                + s.rows()
                + " rows, "
                + s.duplicatesSkipped()
                + " duplicates skipped, "
                + s.deadLettered()
                + " dead-lettered"
                + s.error().map(e -> ", error: " + e).orElse(""));
      }
    }
    return sync.status().stream().anyMatch(s -> s.error().isPresent())
        ? ExitCodes.FAILED
        : ExitCodes.OK;
  }
}
