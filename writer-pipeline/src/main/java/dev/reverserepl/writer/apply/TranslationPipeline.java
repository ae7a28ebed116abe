package dev.reverserepl.writer.apply;

import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.translate.ChangeTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Translates and plans the batches of one apply call, each once (every retry reuses it), and the
 * next batch on another thread while the current one is written and committed, so JSON translation
 * and statement planning run beside MySQL rather than before it. The first batch has nothing to run
 * beside, so its translation is split over the machine's cores.
 */
final class TranslationPipeline {
  private static final ExecutorService TRANSLATORS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "rr-writer-translate");
            t.setDaemon(true);
            return t;
          });

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  // Below this many changes a part, handing it over costs more than translating it.
  private static final int MIN_SPLIT = 128;

  private final ChangeTranslator translator;
  private final ShardEnvironment env;
  private final List<List<SequencedChange>> batches;
  private final List<CompletableFuture<PreparedBatch>> translated = new ArrayList<>();

  TranslationPipeline(
      ChangeTranslator translator, ShardEnvironment env, List<List<SequencedChange>> batches) {
    this.translator = translator;
    this.env = env;
    this.batches = batches;
  }

  /**
   * Batch {@code i} translated; starts translating batch {@code i + 1}. Call with i = 0, 1, 2, ...
   */
  PreparedBatch batch(int i) {
    if (i == 0) {
      PreparedBatch first = PreparedBatch.planned(translateSplit(batches.get(0)), env);
      translated.add(CompletableFuture.completedFuture(first));
    }
    if (i + 1 < batches.size() && translated.size() == i + 1) {
      List<SequencedChange> next = batches.get(i + 1);
      translated.add(
          CompletableFuture.supplyAsync(
              () -> PreparedBatch.planned(translate(next), env), TRANSLATORS));
    }
    return await(translated.get(i));
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while translating", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private List<PreparedChange> translateSplit(List<SequencedChange> batch) {
    int parts = Math.min(CORES, batch.size() / MIN_SPLIT);
    if (parts <= 1) {
      return translate(batch);
    }
    int step = (batch.size() + parts - 1) / parts;
    List<CompletableFuture<List<PreparedChange>>> rest = new ArrayList<>();
    for (int from = step; from < batch.size(); from += step) {
      List<SequencedChange> part = batch.subList(from, Math.min(batch.size(), from + step));
      rest.add(CompletableFuture.supplyAsync(() -> translate(part), TRANSLATORS));
    }
    List<PreparedChange> out = new ArrayList<>(batch.size());
    out.addAll(translate(batch.subList(0, step)));
    for (CompletableFuture<List<PreparedChange>> f : rest) {
      out.addAll(await(f));
    }
    return out;
  }

  private List<PreparedChange> translate(List<SequencedChange> batch) {
    List<PreparedChange> out = new ArrayList<>(batch.size());
    for (SequencedChange c : batch) {
      out.add(new PreparedChange(c, translator.translate(c.change())));
    }
    return out;
  }
}
