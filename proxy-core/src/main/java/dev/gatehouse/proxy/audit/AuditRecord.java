package dev.gatehouse.proxy.audit;

/**
 * One audit line as immutable values. The file sink serialises it on the thread that writes it
 * (where the values are still in cache) and queues the line for its writer thread.
 */
public interface AuditRecord {

  /** Appends this record as one JSON object, without a line terminator. */
  void appendJson(StringBuilder out);
}
