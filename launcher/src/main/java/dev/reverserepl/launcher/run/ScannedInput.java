package dev.reverserepl.launcher.run;

import dev.reverserepl.ordering.OrderChanges;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.route.FileHistoryRead;
import dev.reverserepl.ordering.source.FileScan;

/**
 * What one pass over the change records found before anything runs: every line is checked (a
 * malformed one stops the replay before anything is applied), the files are indexed for the paced
 * read (ordering rule S5) and the history that resolves deletes lacking the shard-id column
 * (ordering rule R2) is collected and held for the run, so the pipeline reuses all of it.
 */
record ScannedInput(
    FileScan files, FileHistoryRead history, long rowChanges, java.time.Instant lastCommit)
    implements AutoCloseable {
  @Override
  public void close() {
    history.close();
  }

  static ScannedInput scan(
      java.io.PrintStream out, ReplayRequest request, int shards, OrderingConfig ordering) {
    long started = System.nanoTime();
    FileHistoryRead.Source source =
        OrderChanges.with(ordering).fileHistoryOf(request.changesPath());
    FileHistoryRead.Collector history = source.collector();
    long[] modsAndNewest = {0, Long.MIN_VALUE};
    FileScan files =
        FileScan.of(
            request.changesPath(),
            r -> {
              modsAndNewest[0] += r.getMods() == null ? 0 : r.getMods().size();
              modsAndNewest[1] =
                  Math.max(
                      modsAndNewest[1],
                      dev.reverserepl.common.change.ChangePosition.toNanos(
                          r.getCommitTimestamp().toSqlTimestamp().toInstant()));
              history.accept(r);
            });
    if (files.records() == 0) {
      throw new IllegalArgumentException("no change records in " + request.changesPath());
    }
    FileHistoryRead read = source.open(history);
    out.printf(
        java.util.Locale.ROOT,
        "replay: %d change records (%d row changes) in %s, %d shards; every line checked in %.1f s%n",
        files.records(),
        modsAndNewest[0],
        request.changesPath(),
        shards,
        (System.nanoTime() - started) / 1e9);
    if (read.history().sightings() > 0) {
      out.printf(
          java.util.Locale.ROOT,
          "replay: rows of %,d routed changes indexed for deletes without their shard-id column"
              + " (%,d kept)%n",
          read.history().sightings(),
          read.history().kept());
    }
    return new ScannedInput(
        files,
        read,
        modsAndNewest[0],
        dev.reverserepl.common.change.ChangePosition.toInstant(modsAndNewest[1]));
  }
}
