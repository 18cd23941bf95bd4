package dev.gatehouse.proxy.audit;

/**
 * One audit line, captured cheaply on the caller's thread and serialised on the writer thread.
 * Implementations hold immutable values only.
 */
public interface AuditRecord {

  /** Writes this record as one JSON object, without a line terminator. */
  void writeJson(JsonLine out);

  /**
   * Reads this record's values without writing them, and returns anything computed from them: the
   * writer reads records a window ahead ({@link dev.gatehouse.proxy.observe.ReadAhead}).
   */
  default int touch() {
    return 0;
  }

  /** This record as JSON text, as its audit line has it (the admin API, tests). */
  default String toJson() {
    JsonLine line = new JsonLine(512);
    writeJson(line);
    return line.toString();
  }
}
