package dev.gatehouse.proxy.audit;

import dev.gatehouse.proxy.observe.ReadAhead;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue and the one writer thread in front of a {@link LineWriter}. Producers (event
 * loops) only enqueue; when the queue is full they wait at most {@code maxBlock} (backpressure that
 * slows the proxy rather than losing records), then count the record as lost and log it. The writer
 * serialises and writes records in batches (lingering {@value #LINGER_MILLIS} ms after a small one,
 * so steady traffic is written in batches, not one wake-up and one write per record), flushes to
 * the OS whenever the queue runs empty, fsyncs at most once a second while busy, and on {@link
 * #close} drains everything accepted, then flushes, fsyncs and closes the file.
 */
final class AsyncAuditSink implements AuditSink {
  private static final System.Logger LOG = System.getLogger(AsyncAuditSink.class.getName());
  // a batch under half of this is small and lingers: 20 ms of up to ~100k records/s
  private static final int MAX_BATCH = 4096;
  private static final long IDLE_POLL_MILLIS = 200;

  /**
   * Each wake-up of the writer costs about 85 µs (sleep, drain, write, flush; estimated from its
   * CPU per record at two rates) however few records it finds. At 1 ms it woke ~700 times a second
   * on keep-alive interception (~7 % of the proxy's CPU); at 5 ms ~200 times, still 4.3-5.5 µs per
   * intercepted request at 8k requests/s; at 20 ms 3.0-3.4 (BENCHMARKS.md, session 4). A crash
   * loses at most this much more than it would anyway.
   */
  static final long LINGER_MILLIS = 20;

  private static final long SYNC_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long LOSS_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Wakes the writer on close; never written. */
  private static final AuditRecord WAKE = out -> {};

  private final BlockingQueue<AuditRecord> queue;
  private final LineWriter out;
  private final long maxBlockNanos;
  private final Duration closeTimeout;
  private final Thread writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder written = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final AtomicLong lastLossLog =
      new AtomicLong(System.nanoTime() - LOSS_LOG_INTERVAL_NANOS);
  private final AtomicInteger producers = new AtomicInteger();
  private volatile boolean stopping;
  private final ReadAhead<AuditRecord> readAhead = new ReadAhead<>(AuditRecord::touch);

  AsyncAuditSink(LineWriter out, int capacity, Duration maxBlock, Duration closeTimeout) {
    this.out = out;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBlockNanos = maxBlock.toNanos();
    this.closeTimeout = closeTimeout;
    this.writer = new Thread(this::run, "gatehouse-audit-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void write(AuditRecord record) {
    // The writer stops only when `stopping` is set and no producer is between this increment and
    // the decrement below, so a record is either queued before the final drain or counted lost.
    producers.incrementAndGet();
    try {
      if (stopping) {
        lose(1, "audit sink closed");
        return;
      }
      boolean queued = queue.offer(record);
      if (!queued && maxBlockNanos > 0) {
        try {
          queued = queue.offer(record, maxBlockNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (!queued) {
        lose(1, "audit queue full (writer behind)");
      }
    } finally {
      producers.decrementAndGet();
    }
  }

  @Override
  public long written() {
    return written.sum();
  }

  @Override
  public long lost() {
    return lost.sum();
  }

  /** Records waiting for the writer (for metrics). */
  int queued() {
    return queue.size();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    queue.offer(WAKE); // if full, the writer is busy and sees `stopping` on its next poll
    try {
      writer.join(closeTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.log(
          Level.ERROR,
          "audit writer did not drain within {0}; {1} records still queued",
          closeTimeout,
          queue.size());
    }
  }

  private void run() {
    List<AuditRecord> batch = new ArrayList<>(MAX_BATCH);
    JsonLine line = new JsonLine();
    long lastSync = System.nanoTime();
    boolean dirty = false;
    try {
      while (true) {
        AuditRecord first;
        try {
          first = stopping ? queue.poll() : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          stopping = true; // interrupted: drain what is there and stop
          continue;
        }
        if (first == null) {
          if (stopping) {
            if (producers.get() == 0 && queue.isEmpty()) {
              break;
            }
            Thread.onSpinWait(); // a producer is mid-offer: its record is about to arrive
            continue;
          }
          if (dirty) {
            dirty = !flush(false);
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        boolean small = batch.size() < MAX_BATCH / 2;
        writeBatch(batch, line);
        batch.clear();
        dirty = true;
        if (queue.isEmpty()) {
          long now = System.nanoTime();
          boolean sync = now - lastSync >= SYNC_INTERVAL_NANOS;
          if (flush(sync)) {
            dirty = false;
            if (sync) {
              lastSync = now;
            }
          }
        }
        if (small && !stopping) {
          // Linger before waiting on the queue again: while the writer sleeps it is no waiter,
          // so producers' offers wake nobody, and the next batch carries a few milliseconds'
          // records in one write instead of one wake-up and one write per record.
          try {
            Thread.sleep(LINGER_MILLIS);
          } catch (InterruptedException e) {
            stopping = true;
          }
        }
      }
    } finally {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.ERROR, "audit file close failed; buffered records may be lost", e);
      }
    }
  }

  private void writeBatch(List<AuditRecord> batch, JsonLine line) {
    int n = batch.size();
    int ok = 0;
    for (int i = 0; i < n; i++) {
      readAhead.before(batch, i);
      AuditRecord r = batch.get(i);
      if (r == WAKE) {
        continue;
      }
      try {
        line.reset();
        r.writeJson(line);
        line.raw('\n');
      } catch (RuntimeException e) {
        lose(1, "audit record could not be serialised: " + e);
        continue;
      }
      try {
        out.write(line.array(), line.length());
        ok++;
      } catch (IOException | RuntimeException e) {
        lose(1, "audit write failed: " + e);
      }
    }
    written.add(ok); // once per batch: one contended add rather than one per record
  }

  private boolean flush(boolean sync) {
    try {
      out.flush(sync);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "audit flush failed", e);
      return false;
    }
  }

  private void lose(int count, String why) {
    lost.add(count);
    long now = System.nanoTime();
    long last = lastLossLog.get();
    if (now - last >= LOSS_LOG_INTERVAL_NANOS && lastLossLog.compareAndSet(last, now)) {
      LOG.log(
          Level.ERROR,
          "audit records lost: {0} in total so far (gatehouse_audit_records_lost_total); last"
              + " cause: {1}",
          lost.sum(),
          why);
    }
  }
}
