package dev.gatehouse.proxy.audit;

/**
 * One audit line, captured cheaply on the caller's thread and serialised on the writer thread.
 * Implementations hold immutable values only.
 */
public interface AuditRecord {

  /** Appends this record as one JSON object, without a line terminator. */
  void appendJson(StringBuilder out);
}
