package dev.reverserepl.launcher.run;

import dev.reverserepl.common.envelope.EnvelopeHandOff;
import dev.reverserepl.ordering.OrderChanges;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.OrderingResult;
import dev.reverserepl.ordering.sink.HandOffSink;
import dev.reverserepl.ordering.sink.KafkaSink;
import dev.reverserepl.ordering.sink.WriteDeadLetters;
import dev.reverserepl.ordering.source.ChangeRecordFiles;
import dev.reverserepl.ordering.source.FlowGate;
import dev.reverserepl.writer.ApplyEnvelopes;
import dev.reverserepl.writer.options.WriterConfig;
import dev.reverserepl.writer.source.HandOffEnvelopeSource;
import dev.reverserepl.writer.source.KafkaEnvelopeSource;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The pipelines of a replay on the DirectRunner, for each {@link ReplayBuffer}: built, started and
 * awaited; {@link ReplayRunner} checks the inputs before and accounts for the changes after.
 */
final class ReplayPipelines {
  /** What the progress lines and the summary read the pipelines' metrics from. */
  record Runs(AtomicReference<PipelineResult> ordering, AtomicReference<PipelineResult> writer) {}

  private final PrintStream out;
  private final ReplayRequest request;
  private final OrderingConfig ordering;
  private final WriterConfig writer;
  private final ScannedInput scanned;
  private final Runs runs;

  ReplayPipelines(
      PrintStream out,
      ReplayRequest request,
      OrderingConfig ordering,
      WriterConfig writer,
      ScannedInput scanned,
      Runs runs) {
    this.out = out;
    this.request = request;
    this.ordering = ordering;
    this.writer = writer;
    this.scanned = scanned;
    this.runs = runs;
  }

  /** Runs both pipelines to their end; {@code topic} and {@code partitions} are Kafka's. */
  void run(String topic, int partitions) {
    switch (request.buffer()) {
      case NONE -> runHandedOff();
      case KAFKA -> runThroughKafka(topic, partitions);
    }
  }

  /**
   * {@link ReplayBuffer#NONE}: the ordering pipeline hands its envelopes to the writer pipeline
   * through a bounded buffer in this process ({@link EnvelopeHandOff}); the two run side by side,
   * each on a worker thread of its own, so ordering goes on while the writer waits for MySQL (in
   * one pipeline on one thread they took turns; a second thread in one DirectRunner costs more in
   * its driver than it gains).
   */
  private void runHandedOff() {
    try (FlowGate gate = FlowGate.open(ReplayRunner.REPLAY_IN_FLIGHT);
        EnvelopeHandOff handOff = EnvelopeHandOff.open(ReplayRunner.REPLAY_IN_FLIGHT)) {
      Pipeline w = Pipeline.create(directOptions());
      w.apply("ReadHandOff", HandOffEnvelopeSource.from(handOff.id()))
          .apply("ApplyEnvelopes", ApplyEnvelopes.with(writer));
      Pipeline o = Pipeline.create(directOptions());
      ordered(o, gate).envelopes().apply("HandOff", HandOffSink.to(handOff.id()));
      PipelineResult rw = w.run();
      runs.writer().set(rw);
      PipelineResult ro = o.run();
      runs.ordering().set(ro);
      awaitSideBySide(ro, rw, handOff);
    }
  }

  /**
   * Waits for both pipelines: the writer's end once ordering finished and it took everything. A
   * failure of either ends the other through the hand-off instead of leaving it waiting, and its
   * own exception is the one thrown.
   */
  static void awaitSideBySide(
      PipelineResult ordering, PipelineResult writer, EnvelopeHandOff handOff) {
    try {
      while (!ended(ordering)) {
        // a failed writer's own exception comes out of ended(writer)
        if (ended(writer)) {
          throw new IllegalStateException(
              "writer pipeline ended in state "
                  + writer.getState()
                  + " before the ordering pipeline finished");
        }
      }
    } catch (RuntimeException e) {
      handOff.fail(e);
      cancel(ordering);
      cancel(writer);
      throw e;
    }
    finish(ordering, "ordering pipeline");
    handOff.finish();
    finish(writer, "writer pipeline");
  }

  // Waits a little; a failed pipeline's exception comes out here.
  private static boolean ended(PipelineResult r) {
    PipelineResult.State s = r.waitUntilFinish(org.joda.time.Duration.millis(100));
    return s != null && s.isTerminal();
  }

  private static void cancel(PipelineResult r) {
    try {
      if (!r.getState().isTerminal()) {
        r.cancel();
      }
    } catch (Exception ignored) {
      // already ended
    }
  }

  /**
   * The file read and the ordering stages, paced by the gate (ordering rule S5: the DirectRunner
   * would otherwise read the whole file before releasing anything), routing dead letters written.
   */
  private OrderingResult ordered(Pipeline p, FlowGate gate) {
    OrderingResult ordered =
        p.apply(
                "ReadChangeRecords",
                ChangeRecordFiles.from(request.changesPath())
                    .withFlowGate(gate)
                    .withScan(scanned.files()))
            .apply(
                "OrderChanges",
                OrderChanges.with(ordering)
                    .withFlowGate(gate)
                    .withFileHistory(scanned.history().source()));
    ordered
        .deadLetters()
        .apply("RoutingDeadLetters", WriteDeadLetters.to(request.deadLetterDirectory()));
    return ordered;
  }

  /**
   * {@link ReplayBuffer#KAFKA}: the ordering pipeline publishes to a new topic, then the writer
   * pipeline reads what was published.
   */
  private void runThroughKafka(String topic, int partitions) {
    createTopic(request.kafkaBootstrapServers(), topic, Math.max(1, partitions));
    PipelineResult r1;
    try (FlowGate gate = FlowGate.open(ReplayRunner.REPLAY_IN_FLIGHT)) {
      Pipeline p1 = Pipeline.create(directOptions());
      ordered(p1, gate)
          .envelopes()
          .apply("ToKafka", KafkaSink.to(request.kafkaBootstrapServers(), topic));
      r1 = p1.run();
      runs.ordering().set(r1);
      finish(r1, "ordering pipeline");
    }
    MetricsView m = MetricsView.of(r1, true);
    long messages =
        m.get(OrderingMetrics.NAMESPACE, OrderingMetrics.ENVELOPES)
            + m.get(OrderingMetrics.NAMESPACE, OrderingMetrics.MARKERS);
    out.println("replay: ordering published " + messages + " envelopes to Kafka topic " + topic);
    if (messages > 0) {
      Pipeline p2 = Pipeline.create(directOptions());
      p2.apply(
              "ReadKafka",
              new KafkaEnvelopeSource(
                  request.kafkaBootstrapServers(),
                  topic,
                  // one topic per replay: its consumer group is named after it
                  topic,
                  messages,
                  request.deadLetterDirectory()))
          .apply("ApplyEnvelopes", ApplyEnvelopes.with(writer));
      PipelineResult r2 = p2.run();
      runs.writer().set(r2);
      finish(r2, "writer pipeline");
    }
  }

  private static void finish(PipelineResult r, String what) {
    PipelineResult.State state = r.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(what + " ended in state " + state);
    }
  }

  private static void createTopic(String bootstrap, String topic, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create Kafka topic " + topic + " on " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  static DirectOptions directOptions() {
    DirectOptions o = PipelineOptionsFactory.create().as(DirectOptions.class);
    o.setBlockOnRun(false);
    // One worker thread: the DirectRunner's driver re-submits itself to the same pool without
    // waiting, so every further thread lets it scan all transforms' timers beside the work instead
    // of between bundles (200 k changes into two shards: 6.9 k changes/s and 49 CPU s with one
    // thread, 5.4 k and 67 CPU s with four).
    o.setTargetParallelism(1);
    // Immutability and encodability checks copy every element; the coders are tested on their own.
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return o;
  }
}
