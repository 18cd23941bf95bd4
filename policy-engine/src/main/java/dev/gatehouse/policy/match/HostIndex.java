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
  private static final Object[] NONE = new Object[0];

  private static final class Node {
    Map<String, Node> children;
    Object[] below = NONE;
    Object[] selfAndBelow = NONE;

    Node child(String label) {
      if (children == null) {
        children = new HashMap<>(2);
      }
      return children.computeIfAbsent(label, k -> new Node());
    }
  }

  private final Map<String, Object[]> exact = new HashMap<>();
  private final Node root = new Node();
  private Object[] anyName = NONE;
  private final CidrTable<T> addresses = new CidrTable<>();

  public void add(HostPattern pattern, T value) {
    if (pattern instanceof HostPattern.Exact e) {
      exact.merge(e.name(), new Object[] {value}, HostIndex::concat);
    } else if (pattern instanceof HostPattern.Below b) {
      Node n = node(b.suffix());
      n.below = concat(n.below, new Object[] {value});
    } else if (pattern instanceof HostPattern.SelfAndBelow s) {
      Node n = node(s.suffix());
      n.selfAndBelow = concat(n.selfAndBelow, new Object[] {value});
    } else if (pattern instanceof HostPattern.AnyName) {
      anyName = concat(anyName, new Object[] {value});
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

  private static Object[] concat(Object[] a, Object[] b) {
    if (a.length == 0) {
      return b;
    }
    Object[] out = new Object[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Calls {@code sink} with every value whose pattern matches {@code host}. */
  @SuppressWarnings("unchecked")
  public void forEachMatch(Host host, Consumer<? super T> sink) {
    if (host instanceof Host.Ip ip) {
      addresses.forEachMatch(ip.address(), sink);
      return;
    }
    String name = ((Host.Name) host).ascii();
    for (Object o : anyName) {
      sink.accept((T) o);
    }
    Object[] hit = exact.get(name);
    if (hit != null) {
      for (Object o : hit) {
        sink.accept((T) o);
      }
    }
    Node n = root;
    int end = name.length();
    while (n.children != null) {
      int dot = name.lastIndexOf('.', end - 1);
      n = n.children.get(name.substring(dot + 1, end));
      if (n == null) {
        return;
      }
      for (Object o : n.selfAndBelow) {
        sink.accept((T) o);
      }
      if (dot < 0) {
        return; // at the full name: *.suffix needs at least one more label
      }
      for (Object o : n.below) {
        sink.accept((T) o);
      }
      end = dot;
    }
  }

  /**
   * Every value whose pattern matches all the hosts {@code pattern} matches (for lint: a deny that
   * covers an allow). Conservative: may miss a cover, never reports a false one.
   */
  @SuppressWarnings("unchecked")
  public List<T> coverersOf(HostPattern pattern) {
    List<T> out = new ArrayList<>();
    if (pattern instanceof HostPattern.Exact e) {
      forEachMatch(new Host.Name(e.name()), out::add);
    } else if (pattern instanceof HostPattern.Address a) {
      // prefixes containing a.cidr's network; the caller re-checks that they contain all of it
      addresses.forEachMatch(a.cidr().network(), out::add);
    } else if (pattern instanceof HostPattern.AnyName) {
      for (Object o : anyName) {
        out.add((T) o);
      }
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
  @SuppressWarnings("unchecked")
  private void suffixCoverers(String suffix, boolean strictOnly, List<T> out) {
    for (Object o : anyName) {
      out.add((T) o);
    }
    Node n = root;
    int end = suffix.length();
    while (n.children != null) {
      int dot = suffix.lastIndexOf('.', end - 1);
      n = n.children.get(suffix.substring(dot + 1, end));
      if (n == null) {
        return;
      }
      boolean atSuffix = dot < 0;
      for (Object o : n.selfAndBelow) {
        out.add((T) o);
      }
      if (!atSuffix || strictOnly) {
        for (Object o : n.below) {
          out.add((T) o);
        }
      }
      if (atSuffix) {
        return;
      }
      end = dot;
    }
  }
}
