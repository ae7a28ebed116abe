package dev.reverserepl.writer.retry;

/**
 * Whose fault a failure is, which decides what the apply path does with the change(s) that hit it.
 */
public enum FailureKind {
  /**
   * The change itself cannot be applied (bad value, constraint, unknown column, conversion):
   * retrying cannot help, so the single failing change goes to the dead-letter queue and the shard
   * continues.
   */
  CHANGE,
  /**
   * A unique secondary index holds the value for another primary key. A later change may free the
   * value, so the change is retried for a bounded time before it is dead-lettered with both keys
   * named.
   */
  UNIQUE_CONFLICT,
  /**
   * The shard cannot take any change right now (connection, disk or table full, lock table full,
   * denied, missing table, packet too big, read-only, deadlock, lock wait): the shard pauses with
   * backoff and retries forever; no change is dead-lettered for it.
   */
  SHARD
}
