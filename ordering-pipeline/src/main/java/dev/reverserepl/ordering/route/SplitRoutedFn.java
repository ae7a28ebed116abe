package dev.reverserepl.ordering.route;

import dev.reverserepl.common.dlq.DeadLetter;
import dev.reverserepl.common.session.SessionMapping;
import dev.reverserepl.common.session.TableMapping;
import dev.reverserepl.ordering.OrderingMetrics;
import dev.reverserepl.ordering.sequence.SequencerInput;
import dev.reverserepl.ordering.sequence.SequencerKey;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Routed changes go to their sequencer key {@code shard#partition}; unresolved ones become routing
 * dead letters (counted, with the reason) — nothing is dropped.
 */
public final class SplitRoutedFn extends DoFn<RoutingAttempt, KV<String, SequencerInput>> {
  public static final TupleTag<KV<String, SequencerInput>> ROUTED = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final int partitionsPerShard;
  private final Set<String> singleStreamTables;
  private final Counter routed = Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.ROUTED);
  private final Counter deadLettered =
      Metrics.counter(OrderingMetrics.NAMESPACE, OrderingMetrics.DEAD_LETTERED);

  public SplitRoutedFn(int partitionsPerShard) {
    this(partitionsPerShard, Set.of());
  }

  /**
   * {@code singleStreamTables}: Spanner tables whose changes all take partition 0 ({@link
   * #singleStreamTables}).
   */
  public SplitRoutedFn(int partitionsPerShard, Set<String> singleStreamTables) {
    this.partitionsPerShard = partitionsPerShard;
    this.singleStreamTables =
        singleStreamTables.stream()
            .map(t -> t.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Tables with a unique secondary index: a unique value can move between rows, so the order
   * between changes of different rows matters and all of the table's changes keep one stream
   * (partition 0), whatever {@code partitionsPerShard} is.
   */
  public static Set<String> singleStreamTables(SessionMapping session) {
    return session.tables().stream()
        .filter(TableMapping::hasUniqueSecondaryIndex)
        .map(TableMapping::spannerTable)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Partition of a row's changes: its key hash, so each row keeps its order within one stream. */
  public static int partitionOf(String table, String keysJson, int partitionsPerShard) {
    return partitionsPerShard == 1
        ? 0
        : Math.floorMod((table + "\u0000" + keysJson).hashCode(), partitionsPerShard);
  }

  /** {@link #partitionOf}, except that a single-stream table always takes partition 0. */
  public int partition(String table, String keysJson) {
    return singleStreamTables.contains(table.toLowerCase(Locale.ROOT))
        ? 0
        : partitionOf(table, keysJson, partitionsPerShard);
  }

  @ProcessElement
  public void process(@Element RoutingAttempt a, MultiOutputReceiver out) {
    if (a.resolved()) {
      routed.inc();
      int p = partition(a.change().table(), a.change().keysJson());
      out.get(ROUTED)
          .output(KV.of(SequencerKey.format(a.shardId(), p), SequencerInput.of(a.change())));
    } else {
      deadLettered.inc();
      out.get(DEAD_LETTERS)
          .output(
              new DeadLetter(
                  DeadLetter.STAGE_ROUTING, null, a.change(), a.reason(), 1, Instant.now()));
    }
  }
}
