package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands in for the SDK's batch span processor in front of one configured exporter, with the same
 * {@code otel.bsp.*} settings (queue size, batch size, schedule delay, export timeout) and the same
 * behaviour: a bounded queue, one export thread, a batch exported when it is full or the delay
 * passed, spans dropped (and counted) when the queue is full. The difference is what it queues:
 * {@link CallSpan}s, whose attributes are built on the export thread, so a call's event loop only
 * does an enqueue (issue 5: spans were a third of keep-alive throughput on a loaded 2-core box).
 * Spans made through the SDK's own tracer still arrive through {@link #onEnd}.
 */
final class SpanExportQueue implements SpanProcessor {
  private static final Logger LOG = Logger.getLogger(SpanExportQueue.class.getName());
  private static final int NOT_WAITING = Integer.MAX_VALUE;

  private final SpanExporter exporter;
  private final ArrayBlockingQueue<SpanData> queue;
  private final int maxBatch;
  private final long delayNanos;
  private final long timeoutNanos;
  private final LongAdder dropped = new LongAdder();
  // spans queued and not yet drained: lets producers decide to wake the worker without the lock
  private final AtomicInteger queued = new AtomicInteger();
  // while the worker sleeps: the queue length at which a producer wakes it (a full batch)
  private volatile int wakeAt = NOT_WAITING;
  private final ConcurrentLinkedQueue<CompletableResultCode> flushes =
      new ConcurrentLinkedQueue<>();
  private final CompletableResultCode stopped = new CompletableResultCode();
  private volatile boolean shutdown;
  private final Thread worker;

  SpanExportQueue(
      SpanExporter exporter, int maxQueue, int maxBatch, Duration delay, Duration timeout) {
    if (maxQueue < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "span queue size " + maxQueue + " and batch size " + maxBatch + " must be positive");
    }
    this.exporter = exporter;
    this.queue = new ArrayBlockingQueue<>(maxQueue);
    this.maxBatch = Math.min(maxBatch, maxQueue);
    this.delayNanos = Math.max(0, delay.toNanos());
    this.timeoutNanos = timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos();
    this.worker = new Thread(this::run, "gatehouse-span-export");
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues one finished span; never blocks. False (and counted) when it is dropped. */
  boolean offer(SpanData span) {
    if (shutdown || !queue.offer(span)) {
      dropped.increment();
      return false;
    }
    if (queued.incrementAndGet() >= wakeAt) {
      wakeAt = NOT_WAITING;
      LockSupport.unpark(worker);
    }
    return true;
  }

  long dropped() {
    return dropped.sum();
  }

  SpanExporter exporter() {
    return exporter;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (span.getSpanContext().isSampled()) {
      offer(span.toSpanData());
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode forceFlush() {
    if (shutdown) {
      return stopped;
    }
    CompletableResultCode done = new CompletableResultCode();
    flushes.add(done);
    LockSupport.unpark(worker);
    return done;
  }

  /** Exports what is queued, then shuts the exporter down. */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    LockSupport.unpark(worker);
    return stopped;
  }

  private void run() {
    List<SpanData> batch = new ArrayList<>(maxBatch);
    long nextExport = System.nanoTime() + delayNanos;
    while (true) {
      drain(batch);
      boolean stopping = shutdown;
      if (stopping || !flushes.isEmpty()) {
        // everything queued before the request goes out before the request completes
        List<CompletableResultCode> requests = new ArrayList<>();
        for (CompletableResultCode f; (f = flushes.poll()) != null; ) {
          requests.add(f);
        }
        boolean ok = true;
        do {
          ok &= export(batch);
          batch = new ArrayList<>(maxBatch);
        } while (drain(batch) > 0 || !batch.isEmpty());
        requests.forEach(ok ? CompletableResultCode::succeed : CompletableResultCode::fail);
        if (stopping) {
          break;
        }
        nextExport = System.nanoTime() + delayNanos;
        continue;
      }
      if (batch.size() >= maxBatch || (!batch.isEmpty() && System.nanoTime() - nextExport >= 0)) {
        export(batch);
        batch = new ArrayList<>(maxBatch);
        nextExport = System.nanoTime() + delayNanos;
        continue;
      }
      long wait = nextExport - System.nanoTime();
      if (wait <= 0) {
        nextExport = System.nanoTime() + delayNanos;
        continue;
      }
      wakeAt = maxBatch - batch.size();
      // re-check after publishing wakeAt: a producer that queued just before saw NOT_WAITING
      if (queued.get() < wakeAt && flushes.isEmpty() && !shutdown) {
        LockSupport.parkNanos(this, wait);
      }
      wakeAt = NOT_WAITING;
    }
    // the SDK's batch processor shuts its exporter down with it
    for (CompletableResultCode f; (f = flushes.poll()) != null; ) {
      f.succeed();
    }
    CompletableResultCode down = exporter.shutdown();
    down.whenComplete(stopped::succeed);
  }

  private int drain(List<SpanData> batch) {
    int n = queue.drainTo(batch, maxBatch - batch.size());
    if (n > 0) {
      queued.addAndGet(-n);
    }
    return n;
  }

  private boolean export(List<SpanData> batch) {
    if (batch.isEmpty()) {
      return true;
    }
    try {
      CompletableResultCode result = exporter.export(batch);
      result.join(timeoutNanos, TimeUnit.NANOSECONDS);
      return result.isSuccess();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "span export failed", e);
      return false;
    }
  }

  @Override
  public String toString() {
    return "SpanExportQueue{exporter=" + exporter + ", maxBatch=" + maxBatch + "}";
  }
}
