package dev.reverserepl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.spanner.InstanceConfigId;
import com.google.cloud.spanner.InstanceId;
import com.google.cloud.spanner.InstanceInfo;
import com.google.cloud.spanner.Spanner;
import com.google.cloud.spanner.SpannerOptions;
import dev.reverserepl.ordering.OrderingConfig;
import dev.reverserepl.ordering.OrderingPipeline;
import dev.reverserepl.ordering.options.OrderingOptions;
import dev.reverserepl.ordering.testing.Emulators;
import dev.reverserepl.writer.WriterPipeline;
import dev.reverserepl.writer.options.WriterOptions;
import dev.reverserepl.writer.options.WriterOptionsValidator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignature;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both pipelines, as built for every source and sink, declare only the state kinds Dataflow Runner
 * v2 supports (ValueState, BagState, CombiningState; timers and watermark holds are not state
 * declarations). MapState, SetState, OrderedListState and MultimapState are rejected by Runner v2
 * streaming jobs, and Beam's DataflowRunner does not refuse them at submission, so this test is
 * where they are stopped.
 */
class RunnerV2StateGuardTest {
  private static final Set<Class<?>> RUNNER_V2_STATE =
      Set.of(ValueState.class, BagState.class, CombiningState.class);

  private static final String PROJECT = "guard-project";
  private static final String INSTANCE = "guard-instance";
  private static final String DATABASE = "guard-db";
  private static final String METADATA = "guard-meta";

  @TempDir Path dir;

  @Test
  void everyDoFnOfBothPipelinesUsesOnlyRunnerV2StateKinds() throws Exception {
    Path session = copySample();
    Path shards = dir.resolve("shards.json");
    Files.writeString(
        shards,
        "[{\"logicalShardId\":\"shard1\",\"host\":\"127.0.0.1\",\"port\":\"3306\",\"user\":\"u\",\"password\":\"\",\"dbName\":\"d1\"},"
            + "{\"logicalShardId\":\"shard2\",\"host\":\"127.0.0.1\",\"port\":\"3307\",\"user\":\"u\",\"password\":\"\",\"dbName\":\"d2\"}]");
    Path records = dir.resolve("records.jsonl");
    Files.writeString(records, "\n");

    List<String> violations = new ArrayList<>();
    Set<String> statefulFns = new TreeSet<>();
    // SpannerIO asks the database for its dialect while the pipeline is built, so the change-stream
    // source needs the
    // emulator; the file source and every other stage are checked without it.
    boolean spanner =
        Emulators.availableOrSkip(getClass().getSimpleName() + " (Spanner change-stream source)");
    try (Emulators.Running emulator = spanner ? Emulators.startSpanner() : null) {
      if (emulator != null) {
        createDatabases(emulator);
      }
      for (String sink : List.of("pubsub", "kafka", "none")) {
        for (Source source : Source.values()) {
          if (source != Source.SPANNER || spanner) {
            walkOrdering(session, shards, records, sink, source, emulator, violations, statefulFns);
          }
        }
      }
    }
    for (String buffer : List.of("pubsub", "kafka")) {
      WriterOptions w = PipelineOptionsFactory.create().as(WriterOptions.class);
      w.setSessionFilePath(session.toString());
      w.setSourceShardsFilePath(shards.toString());
      w.setBufferType(buffer);
      w.setPubSubProjectId(PROJECT);
      w.setKafkaBootstrapServers("127.0.0.1:9092");
      w.setKafkaTopic("guard-topic");
      w.setDeadLetterQueueDirectory(dir.resolve("dlq").toString());
      walk(
          WriterPipeline.buildPipeline(w, WriterOptionsValidator.toConfig(w)),
          "writer(buffer=" + buffer + ")",
          violations,
          statefulFns);
    }
    System.out.printf("RunnerV2StateGuard: stateful DoFns checked: %s%n", statefulFns);
    assertTrue(
        statefulFns.stream().anyMatch(n -> n.contains("NumberSlicesFn")),
        "the walk must reach the ordering sequencer: " + statefulFns);
    assertTrue(
        statefulFns.stream().anyMatch(n -> n.contains("HistoryResolverFn")),
        "the walk must reach the followed files' history resolver: " + statefulFns);
    assertTrue(
        statefulFns.stream().anyMatch(n -> n.startsWith("dev.reverserepl.writer.")),
        "the walk must reach the writer's resequencer: " + statefulFns);
    assertEquals(List.of(), violations, "state kinds Dataflow Runner v2 does not support");
  }

  /** Where the ordering job reads: each builds a different graph (rule R2 among others). */
  private enum Source {
    SPANNER,
    FILES,
    FOLLOWED_FILES
  }

  private static void walkOrdering(
      Path session,
      Path shards,
      Path records,
      String sink,
      Source source,
      Emulators.Running emulator,
      List<String> violations,
      Set<String> statefulFns) {
    OrderingOptions o = PipelineOptionsFactory.create().as(OrderingOptions.class);
    o.setSessionFilePath(session.toString());
    o.setSourceShardsFilePath(shards.toString());
    o.setSinkType(sink);
    o.setSpannerProjectId(PROJECT);
    o.setKafkaBootstrapServers("127.0.0.1:9092");
    if (source != Source.SPANNER) {
      o.setChangeRecordsPath(records.toString());
      o.setFollowChangeRecords(source == Source.FOLLOWED_FILES);
    } else {
      o.setInstanceId(INSTANCE);
      o.setDatabaseId(DATABASE);
      o.setMetadataDatabase(METADATA);
      o.setSpannerEmulatorHost(emulator.hostPort());
    }
    OrderingConfig config = OrderingPipeline.config(o);
    walk(
        OrderingPipeline.buildPipeline(Pipeline.create(o), o, config),
        "ordering(sink=" + sink + ", source=" + source + ")",
        violations,
        statefulFns);
  }

  private static void createDatabases(Emulators.Running emulator) throws Exception {
    Spanner spanner =
        SpannerOptions.newBuilder()
            .setProjectId(PROJECT)
            .setEmulatorHost(emulator.hostPort())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    try {
      spanner
          .getInstanceAdminClient()
          .createInstance(
              InstanceInfo.newBuilder(InstanceId.of(PROJECT, INSTANCE))
                  .setInstanceConfigId(InstanceConfigId.of(PROJECT, "emulator-config"))
                  .setDisplayName(INSTANCE)
                  .setNodeCount(1)
                  .build())
          .get();
      spanner.getDatabaseAdminClient().createDatabase(INSTANCE, DATABASE, List.of()).get();
      spanner.getDatabaseAdminClient().createDatabase(INSTANCE, METADATA, List.of()).get();
    } finally {
      spanner.close();
    }
  }

  private Path copySample() throws IOException {
    Path session = dir.resolve("session.json");
    try (InputStream in =
        RunnerV2StateGuardTest.class.getResourceAsStream("/sample/session.json")) {
      Files.copy(in, session);
    }
    return session;
  }

  private static void walk(
      Pipeline p, String pipeline, List<String> violations, Set<String> statefulFns) {
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            check(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            check(node);
          }

          private void check(TransformHierarchy.Node node) {
            DoFn<?, ?> fn = doFnOf(node.getTransform());
            if (fn == null) {
              return;
            }
            DoFnSignature signature = DoFnSignatures.getSignature(fn.getClass());
            Map<String, DoFnSignature.StateDeclaration> states = signature.stateDeclarations();
            if (!states.isEmpty()) {
              statefulFns.add(fn.getClass().getName());
            }
            for (DoFnSignature.StateDeclaration s : states.values()) {
              Class<?> kind = s.stateType().getRawType();
              if (!RUNNER_V2_STATE.contains(kind)) {
                violations.add(
                    pipeline
                        + " "
                        + node.getFullName()
                        + " ("
                        + fn.getClass().getName()
                        + ") state '"
                        + s.id()
                        + "' is a "
                        + kind.getSimpleName());
              }
            }
          }
        });
  }

  private static DoFn<?, ?> doFnOf(PTransform<?, ?> t) {
    if (t instanceof ParDo.MultiOutput<?, ?> m) {
      return m.getFn();
    }
    if (t instanceof ParDo.SingleOutput<?, ?> s) {
      return s.getFn();
    }
    return null;
  }
}
