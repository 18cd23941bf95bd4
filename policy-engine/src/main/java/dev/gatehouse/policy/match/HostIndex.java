package dev.gatehouse.policy.match;

import dev.gatehouse.policy.Host;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Host patterns mapped to values (rules), compiled once. A lookup costs one hash probe for exact
 * names, one trie step per label of the request host for {@code *.}/{@code **.} patterns, and one
 * probe per distinct prefix length for IP targets: it does not grow with the number of patterns.
 *
 * <p>The trie is keyed by labels in reverse ({@code com → example → api}); a node holds the values
 * of {@code *.suffix} (names strictly below) and {@code **.suffix} (the name and below).
 */
public final class HostIndex<T> {

  /**
   * Several values under one key. A key with one value holds the value itself (one pointer less to
   * chase per lookup, which is what a lookup over a large policy mostly costs); values are never of
   * this private type, so the two cannot be confused.
   */
  private static final class Many {
    final ArrayList<Object> items = new ArrayList<>(2);
  }

  private static final class Node {
    Map<String, Node> children;
    Object below;
    Object selfAndBelow;

    Node child(String label) {
      if (children == null) {
        children = new HashMap<>(2);
      }
      return children.computeIfAbsent(label, k -> new Node());
    }
  }

  private final Map<String, Object> exact = new HashMap<>();
  private final Node root = new Node();
  private Object anyName;
  private final CidrTable<T> addresses = new CidrTable<>();

  public void add(HostPattern pattern, T value) {
    if (pattern instanceof HostPattern.Exact e) {
      exact.merge(e.name(), value, HostIndex::plus);
    } else if (pattern instanceof HostPattern.Below b) {
      Node n = node(b.suffix());
      n.below = plus(n.below, value);
    } else if (pattern instanceof HostPattern.SelfAndBelow s) {
      Node n = node(s.suffix());
      n.selfAndBelow = plus(n.selfAndBelow, value);
    } else if (pattern instanceof HostPattern.AnyName) {
      anyName = plus(anyName, value);
    } else if (pattern instanceof HostPattern.Address a) {
      addresses.add(a.cidr(), value);
    }
  }

  private Node node(String suffix) {
    Node n = root;
    int end = suffix.length();
    while (end > 0) {
      int dot = suffix.lastIndexOf('.', end - 1);
      n = n.child(suffix.substring(dot + 1, end));
      end = dot < 0 ? 0 : dot;
    }
    return n;
  }

  /** Adds {@code value} to a slot (null, one value, or {@link Many}): amortised O(1). */
  static Object plus(Object slot, Object value) {
    if (slot == null) {
      return value;
    }
    if (slot instanceof Many m) {
      m.items.add(value);
      return m;
    }
    Many m = new Many();
    m.items.add(slot);
    m.items.add(value);
    return m;
  }

  @SuppressWarnings("unchecked")
  static <T> void emit(Object slot, Consumer<? super T> sink) {
    if (slot == null) {
      return;
    }
    if (slot instanceof Many m) {
      for (Object o : m.items) {
        sink.accept((T) o);
      }
    } else {
      sink.accept((T) slot);
    }
  }

  /** Calls {@code sink} with every value whose pattern matches {@code host}. */
  public void forEachMatch(Host host, Consumer<? super T> sink) {
    if (host instanceof Host.Ip ip) {
      addresses.forEachMatch(ip.address(), sink);
      return;
    }
    String name = ((Host.Name) host).ascii();
    emit(anyName, sink);
    emit(exact.get(name), sink);
    Node n = root;
    int end = name.length();
    while (n.children != null) {
      int dot = name.lastIndexOf('.', end - 1);
      n = n.children.get(name.substring(dot + 1, end));
      if (n == null) {
        return;
      }
      emit(n.selfAndBelow, sink);
      if (dot < 0) {
        return; // at the full name: *.suffix needs at least one more label
      }
      emit(n.below, sink);
      end = dot;
    }
  }

  /**
   * Every value whose pattern matches all the hosts {@code pattern} matches (for lint: a deny that
   * covers an allow). Conservative: may miss a cover, never reports a false one.
   */
  public List<T> coverersOf(HostPattern pattern) {
    List<T> out = new ArrayList<>();
    if (pattern instanceof HostPattern.Exact e) {
      forEachMatch(new Host.Name(e.name()), out::add);
    } else if (pattern instanceof HostPattern.Address a) {
      // prefixes containing a.cidr's network; the caller re-checks that they contain all of it
      addresses.forEachMatch(a.cidr().network(), out::add);
    } else if (pattern instanceof HostPattern.AnyName) {
      HostIndex.<T>emit(anyName, out::add);
    } else if (pattern instanceof HostPattern.Below b) {
      suffixCoverers(b.suffix(), true, out);
    } else if (pattern instanceof HostPattern.SelfAndBelow s) {
      suffixCoverers(s.suffix(), false, out);
    }
    return out;
  }

  /**
   * Coverers of every name strictly below {@code suffix} (and of suffix itself unless {@code
   * strictOnly}): {@code *}, and {@code *.t}/{@code **.t} for t an ancestor of suffix (or suffix
   * itself for {@code *.t} with strictOnly, and for {@code **.t}).
   */
  private void suffixCoverers(String suffix, boolean strictOnly, List<T> out) {
    HostIndex.<T>emit(anyName, out::add);
    Node n = root;
    int end = suffix.length();
    while (n.children != null) {
      int dot = suffix.lastIndexOf('.', end - 1);
      n = n.children.get(suffix.substring(dot + 1, end));
      if (n == null) {
        return;
      }
      boolean atSuffix = dot < 0;
      HostIndex.<T>emit(n.selfAndBelow, out::add);
      if (!atSuffix || strictOnly) {
        HostIndex.<T>emit(n.below, out::add);
      }
      if (atSuffix) {
        return;
      }
      end = dot;
    }
  }
}
