package dev.reverserepl.bench;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.changes.ChangeRecordReader;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.workload.WorkloadGenerator;
import dev.reverserepl.common.workload.WorkloadSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated workload, in commit order, from the bundled sample session (several tables, realistic
 * types).
 */
final class BenchWorkload {
  final Path sessionFile;
  final SessionMapping session;
  final List<Change> changes;

  private BenchWorkload(Path sessionFile, SessionMapping session, List<Change> changes) {
    this.sessionFile = sessionFile;
    this.session = session;
    this.changes = changes;
  }

  /** {@code n} replicated changes: 70 % updates of existing rows, 20 % inserts, 10 % deletes. */
  static BenchWorkload generate(Path dir, long n, List<String> shardIds, Instant start)
      throws IOException {
    Path session = dir.resolve("session.json");
    Path schema = dir.resolve("mysql-schema.sql");
    copy("sample/session.json", session);
    copy("sample/mysql-schema.sql", schema);
    WorkloadSpec spec =
        WorkloadSpec.defaults()
            .withChanges(n)
            .withSeed(7)
            .withShardIds(shardIds)
            .withStart(start)
            .withMix(0.7, 0.1)
            .withForwardMigrationShare(0)
            .withSkippedTableShare(0);
    WorkloadGenerator generator = WorkloadGenerator.forSessionFile(session.toString(), spec);
    List<Change> changes = new ArrayList<>((int) n);
    generator.generate(r -> changes.addAll(ChangeRecordReader.toChanges(r)));
    return new BenchWorkload(session, generator.mapping(), changes);
  }

  /** The first {@code n} changes of this workload. */
  BenchWorkload first(int n) {
    return new BenchWorkload(sessionFile, session, List.copyOf(changes.subList(0, n)));
  }

  static Path schema(Path dir) {
    return dir.resolve("mysql-schema.sql");
  }

  /** The changes as one strictly ordered stream (one partition, one epoch). */
  static List<SequencedChange> sequence(
      List<Change> changes, String shardId, int partition, long epoch) {
    List<SequencedChange> out = new ArrayList<>(changes.size());
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      boolean eot =
          i == changes.size() - 1 || !changes.get(i + 1).position().sameTransaction(c.position());
      out.add(new SequencedChange(shardId, partition, epoch, i + 1, eot, c));
    }
    return out;
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = BenchWorkload.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " is missing");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
