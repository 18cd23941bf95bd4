package dev.gatehouse.policy.match;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP methods a rule names. Methods are case-sensitive tokens (RFC 9110 §9.1); the policy
 * writes them in upper case and requests are compared as sent.
 */
public final class MethodSet {
  private final Set<String> methods;

  private MethodSet(Set<String> methods) {
    this.methods = methods;
  }

  public static MethodSet of(Collection<String> methods) {
    return new MethodSet(Set.copyOf(methods));
  }

  public boolean contains(String method) {
    return methods.contains(method);
  }

  public boolean containsAll(MethodSet other) {
    return methods.containsAll(other.methods);
  }

  public boolean isEmpty() {
    return methods.isEmpty();
  }

  /** True for an RFC 9110 token: what a method name may consist of. */
  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodSet m && m.methods.equals(methods);
  }

  @Override
  public int hashCode() {
    return methods.hashCode();
  }

  @Override
  public String toString() {
    return PortSet.join(new TreeSet<>(methods).stream().toList());
  }
}
