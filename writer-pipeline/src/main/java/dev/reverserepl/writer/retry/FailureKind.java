package dev.reverserepl.writer.retry;

/** What a failure means for the change(s) that hit it. */
public enum FailureKind {
  /** The server or the connection had a problem; the same statements may well succeed later. */
  RETRYABLE,
  /** The data itself cannot be applied (type, length, constraint, unknown column): retrying cannot help. */
  PERMANENT
}
