package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.proxy.metrics.MetricsRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;

/** JVM basics for the admin port's {@code /metrics}, read at scrape time from the MXBeans. */
final class RuntimeMetrics {
  private RuntimeMetrics() {}

  static void register(MetricsRegistry r) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    r.gauge(
        "jvm_memory_heap_used_bytes", "Heap in use.", () -> memory.getHeapMemoryUsage().getUsed());
    r.gauge(
        "jvm_memory_heap_committed_bytes",
        "Heap committed by the JVM.",
        () -> memory.getHeapMemoryUsage().getCommitted());
    r.gauge(
        "jvm_memory_heap_max_bytes",
        "Maximum heap (-1 when undefined).",
        () -> memory.getHeapMemoryUsage().getMax());
    r.gauge(
        "jvm_memory_nonheap_used_bytes",
        "Non-heap memory in use (metaspace, code cache).",
        () -> memory.getNonHeapMemoryUsage().getUsed());
    r.gauge("jvm_threads_live", "Live threads.", threads::getThreadCount);
    r.counter(
        "jvm_gc_collections_total",
        "Garbage collections, all collectors.",
        () -> {
          long n = 0;
          for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
          }
          return n;
        });
    r.gauge(
        "jvm_gc_collection_time_seconds",
        "Cumulative time spent in garbage collection, all collectors.",
        () -> {
          long ms = 0;
          for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
          }
          return ms / 1000.0;
        });
    r.gauge(
        "process_start_time_seconds",
        "Start time of the process, in seconds since the Unix epoch.",
        () -> runtime.getStartTime() / 1000.0);
    r.gauge(
        "process_uptime_seconds",
        "Seconds since the process started.",
        () -> runtime.getUptime() / 1000.0);
  }
}
