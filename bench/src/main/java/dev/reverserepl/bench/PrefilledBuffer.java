package dev.reverserepl.bench;

import dev.reverserepl.common.envelope.Envelope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A buffer filled before the pipeline starts, read by the pipeline in publish order, as a shard's
 * subscription or topic partition delivers a backlog. The envelopes stay in this JVM (the
 * DirectRunner runs here) instead of in the pipeline graph: {@code Create.of} would serialise the
 * whole backlog into the graph and again for every graph rewrite, which would be measured as the
 * writer's time.
 */
final class PrefilledBuffer extends DoFn<String, Envelope> {
  private static final Map<String, List<Envelope>> BUFFERS = new ConcurrentHashMap<>();

  /** Registers a buffer; the returned id is the pipeline's only input element. */
  static String fill(String id, List<Envelope> envelopes) {
    BUFFERS.put(id, List.copyOf(envelopes));
    return id;
  }

  static void drop(String id) {
    BUFFERS.remove(id);
  }

  @ProcessElement
  public void process(@Element String id, OutputReceiver<Envelope> out) {
    for (Envelope e : BUFFERS.get(id)) {
      out.output(e);
    }
  }
}
