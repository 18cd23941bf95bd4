package dev.gatehouse.proxy.audit;

/**
 * Where audit records go (STYLE habit 12: one sink interface). {@link #write} never blocks for
 * longer than the sink's configured bound and never throws; a record it cannot keep is counted in
 * {@link #lost()} and logged, never dropped silently.
 */
public interface AuditSink extends AutoCloseable {

  void write(AuditRecord record);

  /** Records handed to the file (or the next stage) so far. */
  long written();

  /** Records that could not be kept: queue full past the bound, write errors, after close. */
  long lost();

  /** Drains every accepted record, flushes and fsyncs, then stops. Idempotent. */
  @Override
  void close();

  /** A sink that keeps nothing and says so: every record counts as lost. */
  static AuditSink discarding() {
    return new AuditSink() {
      private final java.util.concurrent.atomic.LongAdder lost =
          new java.util.concurrent.atomic.LongAdder();

      @Override
      public void write(AuditRecord record) {
        lost.increment();
      }

      @Override
      public long written() {
        return 0;
      }

      @Override
      public long lost() {
        return lost.sum();
      }

      @Override
      public void close() {}
    };
  }

  /** A JSON-lines file sink with size rotation (see {@link AuditFileOptions}). */
  static AuditSink file(AuditFileOptions options) throws java.io.IOException {
    return new AsyncAuditSink(
        new RotatingFileWriter(
            options.file(), options.maxSizeBytes(), options.keep(), options.gzipRotated()),
        options.queueCapacity(),
        options.maxBlock(),
        options.closeTimeout());
  }
}
