package dev.gatehouse.policy.match;

import dev.gatehouse.policy.host.IpLiterals;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Prefixes mapped to values, looked up with one hash probe per distinct prefix length present (at
 * most 33 for IPv4, 129 for IPv6), so the cost of a lookup does not grow with the number of
 * prefixes. Built once, then read-only and safe to share between threads.
 */
final class CidrTable<T> {
  private record V6(long hi, long lo) {}

  /** Per prefix length: masked network → one value or several (see {@link HostIndex#plus}). */
  private final Map<Integer, Map<Integer, Object>> v4 = new HashMap<>();

  private final Map<Integer, Map<V6, Object>> v6 = new HashMap<>();
  private int[] v4Lengths = new int[0];
  private int[] v6Lengths = new int[0];
  private int size;

  void add(Cidr cidr, T value) {
    byte[] b = cidr.networkBytes();
    if (b.length == 4) {
      v4.computeIfAbsent(cidr.prefixLength(), k -> new HashMap<>())
          .merge(v4Key(b), value, HostIndex::plus);
      v4Lengths = lengths(v4.keySet());
    } else {
      v6.computeIfAbsent(cidr.prefixLength(), k -> new HashMap<>())
          .merge(v6Key(b), value, HostIndex::plus);
      v6Lengths = lengths(v6.keySet());
    }
    size++;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  private static int[] lengths(java.util.Set<Integer> keys) {
    return new TreeSet<>(keys).descendingSet().stream().mapToInt(Integer::intValue).toArray();
  }

  /** Calls {@code sink} with every value whose prefix contains {@code address}. */
  void forEachMatch(InetAddress address, Consumer<? super T> sink) {
    byte[] b = IpLiterals.canonical(address).getAddress();
    if (b.length == 4) {
      int key = v4Key(b);
      for (int length : v4Lengths) {
        HostIndex.<T>emit(v4.get(length).get(length == 0 ? 0 : key & (-1 << (32 - length))), sink);
      }
    } else {
      V6 key = v6Key(b);
      for (int length : v6Lengths) {
        HostIndex.<T>emit(v6.get(length).get(maskV6(key, length)), sink);
      }
    }
  }

  boolean containsAny(InetAddress address) {
    byte[] b = IpLiterals.canonical(address).getAddress();
    if (b.length == 4) {
      int key = v4Key(b);
      for (int length : v4Lengths) {
        if (v4.get(length).containsKey(length == 0 ? 0 : key & (-1 << (32 - length)))) {
          return true;
        }
      }
      return false;
    }
    V6 key = v6Key(b);
    for (int length : v6Lengths) {
      if (v6.get(length).containsKey(maskV6(key, length))) {
        return true;
      }
    }
    return false;
  }

  private static int v4Key(byte[] b) {
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  private static V6 v6Key(byte[] b) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new V6(hi, lo);
  }

  private static V6 maskV6(V6 key, int length) {
    long hiMask = length >= 64 ? -1L : length == 0 ? 0L : -1L << (64 - length);
    long loMask = length <= 64 ? 0L : length == 128 ? -1L : -1L << (128 - length);
    return new V6(key.hi & hiMask, key.lo & loMask);
  }
}
