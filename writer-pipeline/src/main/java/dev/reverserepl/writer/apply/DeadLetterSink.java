package dev.reverserepl.writer.apply;

import dev.reverserepl.common.dlq.DeadLetter;
import java.io.Serializable;
import java.util.List;

/**
 * Where the applier puts changes it cannot apply. Must be durable when {@link #write} returns: the
 * applied position moves past the change right after. {@code DeadLetterQueue::writeAll} is the
 * production sink.
 */
@FunctionalInterface
public interface DeadLetterSink extends Serializable {
  void write(List<DeadLetter> deadLetters);
}
