package dev.gatehouse.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls per time bucket. Counts are kept per minute, coarsened to hours past {@code MAX_SLOTS}
 * slots (bounded memory); at the end they are re-bucketed to at most {@code MAX_BUCKETS} buckets of
 * a round width (1 min … 1 week) that covers the range.
 */
final class Timeline {
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long[] WIDTHS = {
    MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY
  };
  static final int MAX_BUCKETS = 36;
  private static final int MAX_SLOTS = 50_000;

  private long slot = MINUTE;
  private TreeMap<Long, long[]> counts = new TreeMap<>();

  /** One bucket: start (epoch millis), width, calls, deny, ask. */
  record Bucket(long start, long width, long count, long deny, long ask) {}

  private long lastKey = Long.MIN_VALUE;
  private long[] lastCounts;

  void add(AuditEntry e) {
    long key = Math.floorDiv(e.tsMillis, slot) * slot;
    long[] c;
    if (key == lastKey) { // audit lines come roughly in time order: mostly the same slot
      c = lastCounts;
    } else {
      c = counts.computeIfAbsent(key, k -> new long[3]);
      lastKey = key;
      lastCounts = c;
    }
    c[0]++;
    if ("deny".equals(e.decision)) {
      c[1]++;
    } else if ("ask".equals(e.decision)) {
      c[2]++;
    }
    if (counts.size() > MAX_SLOTS) {
      coarsen(slot == MINUTE ? HOUR : slot == HOUR ? DAY : 7 * DAY);
    }
  }

  private void coarsen(long newSlot) {
    TreeMap<Long, long[]> merged = new TreeMap<>();
    for (Map.Entry<Long, long[]> en : counts.entrySet()) {
      long k = Math.floorDiv(en.getKey(), newSlot) * newSlot;
      long[] c = merged.computeIfAbsent(k, x -> new long[3]);
      for (int j = 0; j < 3; j++) {
        c[j] += en.getValue()[j];
      }
    }
    counts = merged;
    slot = newSlot;
    lastKey = Long.MIN_VALUE;
    lastCounts = null;
  }

  /**
   * Buckets covering [from, to) (or the calls' own range when a bound is open), empty buckets
   * included, so a chart shows quiet periods as gaps.
   */
  List<Bucket> buckets(long from, long to) {
    List<Bucket> out = new ArrayList<>();
    if (counts.isEmpty() && (from == Long.MIN_VALUE || to == Long.MAX_VALUE)) {
      return out;
    }
    long lo = from != Long.MIN_VALUE ? from : counts.firstKey();
    long hi = to != Long.MAX_VALUE ? to : counts.lastKey() + slot;
    if (!counts.isEmpty()) {
      lo = Math.min(lo, counts.firstKey());
      hi = Math.max(hi, counts.lastKey() + 1);
    }
    long width = WIDTHS[WIDTHS.length - 1];
    for (long w : WIDTHS) {
      if (w >= slot && (hi - lo + w - 1) / w <= MAX_BUCKETS) {
        width = w;
        break;
      }
    }
    long start = Math.floorDiv(lo, width) * width;
    if ((hi - start) / width > 10 * MAX_BUCKETS) {
      // a range far wider than the data (e.g. --from 1970): start at the first call's bucket
      start = Math.floorDiv(counts.isEmpty() ? hi - width : counts.firstKey(), width) * width;
    }
    Map<Long, long[]> rebucketed = new TreeMap<>();
    for (Map.Entry<Long, long[]> en : counts.entrySet()) {
      long k = Math.floorDiv(en.getKey(), width) * width;
      long[] c = rebucketed.computeIfAbsent(k, x -> new long[3]);
      for (int j = 0; j < 3; j++) {
        c[j] += en.getValue()[j];
      }
    }
    for (long t = start; t < hi; t += width) {
      long[] c = rebucketed.getOrDefault(t, new long[3]);
      out.add(new Bucket(t, width, c[0], c[1], c[2]));
    }
    return out;
  }
}
