package dev.gatehouse.policy.bench;

import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;

/**
 * Compile time and retained heap of a compiled 100,000-rule policy (issue 2 item 9): compiles the
 * generated model several times and reports the median, then measures the heap the compiled engine
 * keeps alive (heap after full GCs with the engine reachable, minus heap after full GCs without it;
 * the model itself is excluded because the config loader owns it). Run with a fixed heap, e.g.
 * {@code -Xms1g -Xmx1g}.
 */
public final class CompileFootprint {
  private CompileFootprint() {}

  public static void main(String[] args) {
    int rules = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    PolicyModel model = GeneratedPolicy.model(rules);

    long[] millis = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      PolicyCompiler.Compilation c = PolicyCompiler.compile(model);
      millis[i] = (System.nanoTime() - t0) / 1_000_000;
      if (c.hasErrors()) {
        throw new IllegalStateException(c.diagnostics().toString());
      }
    }
    long[] sorted = millis.clone();
    Arrays.sort(sorted);

    long before = usedAfterGc();
    PolicyEngine engine = PolicyCompiler.compile(model).engine().orElseThrow();
    long after = usedAfterGc();
    System.out.printf(
        "rules=%d compile_ms runs=%s median=%d retained_heap_mb=%.1f (engine version %s)%n",
        rules,
        Arrays.toString(millis),
        sorted[runs / 2],
        (after - before) / (1024.0 * 1024.0),
        engine.version());
    if (model.rules().isEmpty()) {
      System.out.println(model); // keep the model reachable through both measurements
    }
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
