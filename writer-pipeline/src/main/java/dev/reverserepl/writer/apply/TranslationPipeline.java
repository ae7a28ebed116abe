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
 * Translates the batches of one apply call, each once (every retry reuses it), and the next batch
 * on another thread while the current one is written and committed, so JSON translation runs beside
 * MySQL rather than before it.
 */
final class TranslationPipeline {
  private static final ExecutorService TRANSLATORS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "rr-writer-translate");
            t.setDaemon(true);
            return t;
          });

  private final ChangeTranslator translator;
  private final List<List<SequencedChange>> batches;
  private final List<CompletableFuture<List<PreparedChange>>> translated = new ArrayList<>();

  TranslationPipeline(ChangeTranslator translator, List<List<SequencedChange>> batches) {
    this.translator = translator;
    this.batches = batches;
  }

  /**
   * Batch {@code i} translated; starts translating batch {@code i + 1}. Call with i = 0, 1, 2, ...
   */
  List<PreparedChange> batch(int i) {
    if (i == 0) {
      translated.add(CompletableFuture.completedFuture(translate(batches.get(0))));
    }
    if (i + 1 < batches.size() && translated.size() == i + 1) {
      List<SequencedChange> next = batches.get(i + 1);
      translated.add(CompletableFuture.supplyAsync(() -> translate(next), TRANSLATORS));
    }
    try {
      return translated.get(i).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while translating", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private List<PreparedChange> translate(List<SequencedChange> batch) {
    List<PreparedChange> out = new ArrayList<>(batch.size());
    for (SequencedChange c : batch) {
      out.add(new PreparedChange(c, translator.translate(c.change())));
    }
    return out;
  }
}
