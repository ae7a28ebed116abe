package dev.reverserepl.ordering.sequence;

import dev.reverserepl.common.change.Change;
import dev.reverserepl.common.change.SequencedChange;
import dev.reverserepl.common.envelope.Envelope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders one slice (all buffered changes of one key in one closed commit-time bucket) and numbers
 * it. Plain code so the DoFn around it stays a thin shell over state.
 */
public final class SliceSequencer {
  private final EnvelopeBatcher batcher;
  private final long defaultEpoch;

  public SliceSequencer(SequencerConfig config) {
    this.defaultEpoch = config.epoch();
    this.batcher = new EnvelopeBatcher(config.maxChangesPerEnvelope(), config.maxEnvelopeBytes());
  }

  /** The envelopes of the slice plus the next free sequence number. */
  public record Result(List<Envelope> envelopes, long nextSequence, int sliceSize) {}

  /**
   * @param slice the slice's changes in any order (sorted in place)
   * @param number the slice's first sequence number and epoch; everything committed up to its end
   *     is published once this slice is
   */
  public Result sequence(SequencerKey key, List<Change> slice, SliceNumber number) {
    return sequence(key, slice, number.epoch(), number.firstSeq(), number.throughNanos());
  }

  /** {@link #sequence(SequencerKey, List, long, long, long)} in the configured epoch. */
  public Result sequence(
      SequencerKey key, List<Change> slice, long nextSequence, long throughNanos) {
    return sequence(key, slice, defaultEpoch, nextSequence, throughNanos);
  }

  /**
   * @param slice the slice's changes in any order (sorted in place)
   * @param epoch the key's epoch
   * @param nextSequence the first sequence number to hand out
   * @param throughNanos everything committed up to here is published once this slice is
   */
  public Result sequence(
      SequencerKey key, List<Change> slice, long epoch, long nextSequence, long throughNanos) {
    slice.sort(Comparator.comparing(Change::position));
    List<SequencedChange> numbered = new ArrayList<>(slice.size());
    long seq = nextSequence;
    for (int i = 0; i < slice.size(); i++) {
      Change c = slice.get(i);
      boolean endOfTransaction =
          i == slice.size() - 1 || !c.position().sameTransaction(slice.get(i + 1).position());
      numbered.add(
          new SequencedChange(key.shardId(), key.partition(), epoch, seq++, endOfTransaction, c));
    }
    List<Envelope> envelopes =
        numbered.isEmpty()
            ? List.of(
                Envelope.marker(
                    key.shardId(), key.partition(), epoch, nextSequence - 1, throughNanos))
            : batcher.batch(numbered, throughNanos);
    return new Result(envelopes, seq, slice.size());
  }
}
