package dev.gatehouse.policy.match;

import dev.gatehouse.config.model.PortRange;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A rule's ports as sorted, merged ranges. Immutable; equal sets are interchangeable. */
public final class PortSet {
  /** The default {@code [80, 443]} of a rule that names no ports. */
  public static final PortSet DEFAULT = of(List.of(PortRange.of(80), PortRange.of(443)));

  private final int[] from;
  private final int[] to;

  private PortSet(int[] from, int[] to) {
    this.from = from;
    this.to = to;
  }

  public static PortSet of(List<PortRange> ranges) {
    PortRange[] sorted = ranges.toArray(new PortRange[0]);
    Arrays.sort(sorted, (a, b) -> Integer.compare(a.from(), b.from()));
    int[] from = new int[sorted.length];
    int[] to = new int[sorted.length];
    int n = 0;
    for (PortRange r : sorted) {
      if (n > 0 && r.from() <= to[n - 1] + 1) {
        to[n - 1] = Math.max(to[n - 1], r.to());
      } else {
        from[n] = r.from();
        to[n] = r.to();
        n++;
      }
    }
    return new PortSet(Arrays.copyOf(from, n), Arrays.copyOf(to, n));
  }

  public boolean contains(int port) {
    for (int i = 0; i < from.length; i++) {
      if (port >= from[i] && port <= to[i]) {
        return true;
      }
    }
    return false;
  }

  public boolean containsAll(PortSet other) {
    for (int i = 0; i < other.from.length; i++) {
      boolean covered = false;
      for (int j = 0; j < from.length; j++) {
        if (other.from[i] >= from[j] && other.to[i] <= to[j]) {
          covered = true;
          break;
        }
      }
      if (!covered) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return from.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortSet p && Arrays.equals(p.from, from) && Arrays.equals(p.to, to);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(from) + Arrays.hashCode(to);
  }

  /** {@code [80, 443, 8000-8999]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < from.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(from[i]);
      if (to[i] != from[i]) {
        sb.append('-').append(to[i]);
      }
    }
    return sb.append(']').toString();
  }

  static String join(List<?> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
