package dev.reverserepl.ordering.route;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.sequence.SequencerInput;
import dev.reverserepl.ordering.sequence.SequencerKey;
import java.time.Instant;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Routed changes go to their sequencer key {@code shard#partition}; unresolved ones become routing dead letters
 * (counted, with the reason) — nothing is dropped.
 */
public final class SplitRoutedFn extends DoFn<RoutingAttempt, KV<String, SequencerInput>> {
  public static final TupleTag<KV<String, SequencerInput>> ROUTED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final int partitionsPerShard;
  private final Counter routed = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.ROUTED);
  private final Counter deadLettered = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.DEAD_LETTERED);

  public SplitRoutedFn(int partitionsPerShard) {
    this.partitionsPerShard = partitionsPerShard;
  }

  /** Partition of a row's changes: its key hash, so each row keeps its order within one stream. */
  public static int partitionOf(String table, String keysJson, int partitionsPerShard) {
    return partitionsPerShard == 1 ? 0 : Math.floorMod((table + "\u0000" + keysJson).hashCode(), partitionsPerShard);
  }

  @ProcessElement
  public void process(@Element RoutingAttempt a, MultiOutputReceiver out) {
    if (a.resolved()) {
      routed.inc();
      int p = partitionOf(a.change().table(), a.change().keysJson(), partitionsPerShard);
      out.get(ROUTED).output(KV.of(SequencerKey.format(a.shardId(), p), SequencerInput.of(a.change())));
    } else {
      deadLettered.inc();
      out.get(DEAD_LETTERS).output(new DeadLetter(DeadLetter.STAGE_ROUTING, null, a.change(), a.reason(), 1, Instant.now()));
    }
  }
}
