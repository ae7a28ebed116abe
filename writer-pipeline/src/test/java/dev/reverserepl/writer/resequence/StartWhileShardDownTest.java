package dev.reverserepl.writer.resequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.embedded.EmbeddedMySql;
import dev.reverserepl.common.envelope.Envelope;
import dev.reverserepl.common.envelope.EnvelopeCoder;
import dev.reverserepl.common.progress.AppliedPosition;
import dev.reverserepl.common.progress.ProgressTable;
import dev.reverserepl.common.shards.Shard;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.TestStreams;
import dev.reverserepl.writer.options.WriterConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule 14: a writer started while its shard's MySQL is down waits within the retry budget, and says
 * so.
 */
class StartWhileShardDownTest {
  @TempDir Path tmp;

  @Test
  void rule14_aRunStartedWhileTheShardIsDownWaitsWithinTheRetryBudgetAndSaysSo() throws Exception {
    try (EmbeddedMySql mysql = EmbeddedMySql.builder().withDurable(true).start()) {
      TestStreams.createShardDatabase(mysql, "down_at_start");
      Shard shard = mysql.shard("downshard", "down_at_start");
      List<SequencedChange> stream = TestStreams.randomStream("downshard", 0, 1, 300, 50, 31);
      List<Envelope> envelopes = TestStreams.envelopes(stream, 30);
      WriterConfig config =
          WriterConfig.of(List.of(shard), TestStreams.session(), tmp.resolve("dlq").toString());
      mysql.stop();
      long stoppedAt = System.nanoTime();
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      PrintStream original = System.err;
      System.setErr(new PrintStream(new Tee(original, log), true, StandardCharsets.UTF_8));
      // The server comes back a few seconds after the writer has found it down (or after 180 s at
      // the latest).
      CompletableFuture<Void> restarted =
          CompletableFuture.runAsync(
              () -> {
                try {
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                  while (!logged(log, "is not reachable") && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(200);
                  }
                  TimeUnit.SECONDS.sleep(3);
                  mysql.restart();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        p.apply(Create.of(envelopes).withCoder(EnvelopeCoder.of()))
            .apply(ApplyEnvelopes.with(config));
        p.run().waitUntilFinish();
      } finally {
        System.setErr(original);
      }
      restarted.get(60, TimeUnit.SECONDS);
      System.out.printf(
          "rule14: shard down at start, run finished %.1f s after the stop%n",
          (System.nanoTime() - stoppedAt) / 1e9);
      String text;
      synchronized (log) {
        text = log.toString(StandardCharsets.UTF_8);
      }
      String where = "shard downshard (" + mysql.host() + ":" + mysql.port() + ") is not reachable";
      long lines = text.lines().filter(l -> l.contains(where)).count();
      assertEquals(1, lines, "one line naming the shard and host:port while it is down:\n" + text);
      assertTrue(text.contains("waiting within the retry budget"), text);
      try (Connection c = mysql.connect("down_at_start")) {
        assertEquals(TestStreams.expectedRows(stream), TestStreams.actualRows(c));
        AppliedPosition end = new ProgressTable(ProgressTable.DEFAULT_NAME).readAll(c).get(0);
        assertEquals(300, end.appliedCount(), "every change applied exactly once");
      }
    }
  }

  private static boolean logged(ByteArrayOutputStream log, String text) {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8).contains(text);
    }
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
