package dev.reverserepl.launcher.run;

import dev.reverserepl.common.changes.ChangeRecordWriter;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import dev.reverserepl.common.workload.WorkloadSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.gcp.spanner.changestreams.model.DataChangeRecord;

/**
 * Keeps adding change-record files the way {@code --followChangeRecords} expects: every second a
 * small (4 changes) generated workload committed "now" (always after the previous file's commits),
 * written aside and renamed into place.
 */
final class ChangeFileGenerator extends Thread implements AutoCloseable {
  private record Written(Instant lastCommit, long replicatedSoFar) {}

  private final Path session;
  private final Path dir;
  private final List<String> shardIds;
  private final List<Written> written = new ArrayList<>();
  private volatile boolean running = true;
  private volatile Throwable failure;

  ChangeFileGenerator(Path session, Path dir, List<String> shardIds) {
    this.session = session;
    this.dir = dir;
    this.shardIds = List.copyOf(shardIds);
    setDaemon(true);
  }

  @Override
  public void run() {
    try {
      for (int i = 1; running; i++) {
        writeFile(i);
        Thread.sleep(1000);
      }
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable e) {
      failure = e;
    }
  }

  private void writeFile(int i) throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant previous = lastCommit();
    if (previous != null && !start.isAfter(previous)) {
      start = previous.plus(1, ChronoUnit.MILLIS);
    }
    List<DataChangeRecord> records = new ArrayList<>();
    WorkloadSummary summary =
        WorkloadGenerator.forSessionFile(
                session.toString(),
                WorkloadSpec.defaults()
                    .withChanges(4)
                    .withSeed(1000 + i)
                    .withShardIds(shardIds)
                    .withStart(start))
            .generate(records::add);
    Instant last = start;
    Path tmp = dir.resolve(String.format(".c-%06d.jsonl.tmp", i));
    try (ChangeRecordWriter w = ChangeRecordWriter.create(tmp)) {
      for (DataChangeRecord r : records) {
        w.write(r);
        Instant t = r.getCommitTimestamp().toSqlTimestamp().toInstant();
        last = t.isAfter(last) ? t : last;
      }
    }
    Files.move(tmp, dir.resolve(String.format("c-%06d.jsonl", i)), StandardCopyOption.ATOMIC_MOVE);
    synchronized (written) {
      long before = written.isEmpty() ? 0 : written.get(written.size() - 1).replicatedSoFar();
      written.add(new Written(last, before + summary.replicated()));
    }
  }

  /** The newest commit written so far; null before the first file. */
  Instant lastCommit() {
    synchronized (written) {
      return written.isEmpty() ? null : written.get(written.size() - 1).lastCommit();
    }
  }

  long replicated() {
    synchronized (written) {
      return written.isEmpty() ? 0 : written.get(written.size() - 1).replicatedSoFar();
    }
  }

  int files() {
    synchronized (written) {
      return written.size();
    }
  }

  /** Replicated changes of the files whose commits are all at or before {@code t}. */
  long replicatedThrough(Instant t) {
    synchronized (written) {
      long n = 0;
      for (Written w : written) {
        if (!w.lastCommit().isAfter(t)) {
          n = w.replicatedSoFar();
        }
      }
      return n;
    }
  }

  @Override
  public void close() throws Exception {
    running = false;
    join(10_000);
    if (failure != null) {
      throw new IllegalStateException("the change-file generator failed", failure);
    }
  }
}
