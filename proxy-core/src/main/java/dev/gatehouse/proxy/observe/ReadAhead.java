package dev.gatehouse.proxy.observe;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Reads a batch of calls a window ahead of the thread that serialises them (the audit writer, the
 * span encoder). The calls were made on the event loops, often on the other core: read one at a
 * time as it is serialised, each call's cache misses come one after another; read a window ahead,
 * they overlap. Both threads' CPU per call fell by a quarter to a third on the keep-alive bench
 * (issue 5, BENCHMARKS.md session 6). Not thread-safe: one per serialising thread.
 */
public final class ReadAhead<T> {
  static final int WINDOW = 64;

  private final ToIntFunction<? super T> touch;
  private int sum; // keeps the reads from being optimised away

  /** {@code touch} reads an item's values and returns anything computed from them. */
  public ReadAhead(ToIntFunction<? super T> touch) {
    this.touch = touch;
  }

  /**
   * Call before serialising {@code items.get(i)}: at the start of each window, reads the window's
   * items. Only a hint: an item whose reading fails is left to its own serialisation to report.
   */
  public void before(List<? extends T> items, int i) {
    if (i % WINDOW != 0) {
      return;
    }
    int s = 0;
    try {
      for (int j = i, stop = Math.min(items.size(), i + WINDOW); j < stop; j++) {
        s += touch.applyAsInt(items.get(j));
      }
    } catch (RuntimeException e) {
      // the rest of the window is read when it is serialised
    }
    sum = s;
  }
}
