package dev.gatehouse.proxy.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the file sink.
 *
 * @param file the current file ({@code audit.jsonl}); rotated files are {@code audit.jsonl.1} (the
 *     newest) to {@code audit.jsonl.<keep>}, with {@code .gz} appended when {@code gzipRotated}
 * @param maxSizeBytes rotate before a line would take the file past this size
 * @param keep rotated files kept; 0 keeps none (the file is truncated on rotation)
 * @param queueCapacity records that may wait for the writer thread
 * @param maxBlock how long {@link AuditSink#write} may wait for room when the queue is full
 *     (backpressure on the producer) before the record is counted as lost
 * @param closeTimeout how long {@link AuditSink#close} waits for the queue to drain
 */
public record AuditFileOptions(
    Path file,
    long maxSizeBytes,
    int keep,
    boolean gzipRotated,
    int queueCapacity,
    Duration maxBlock,
    Duration closeTimeout) {

  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
  public static final Duration DEFAULT_MAX_BLOCK = Duration.ofMillis(500);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  public AuditFileOptions {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(maxBlock, "maxBlock");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (maxSizeBytes < 1024) {
      throw new IllegalArgumentException("audit.max_size " + maxSizeBytes + " below 1024 bytes");
    }
    if (keep < 0 || keep > 1000) {
      throw new IllegalArgumentException("audit.keep " + keep + " out of range (0-1000)");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("audit queue capacity " + queueCapacity + " below 1");
    }
    if (maxBlock.isNegative()) {
      throw new IllegalArgumentException("audit max block " + maxBlock + " is negative");
    }
  }

  /** The defaults for {@code audit: {file, max_size, keep}}. */
  public static AuditFileOptions of(Path file, long maxSizeBytes, int keep) {
    return new AuditFileOptions(
        file,
        maxSizeBytes,
        keep,
        false,
        DEFAULT_QUEUE_CAPACITY,
        DEFAULT_MAX_BLOCK,
        DEFAULT_CLOSE_TIMEOUT);
  }
}
