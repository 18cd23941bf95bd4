package dev.gatehouse.policy.match;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import dev.gatehouse.policy.host.HostNormalizer;

/**
 * One compiled rule target (SPEC §2.2): a host pattern, normalised like a request host, or an
 * IP/CIDR that only IP-literal hosts can match.
 *
 * <ul>
 *   <li>{@code example.com}: that name only.
 *   <li>{@code *.example.com}: every name strictly below it, at any depth.
 *   <li>{@code **.example.com}: the name and every name below it.
 *   <li>{@code *}: every host <em>name</em>; never an IP literal (those need an IP/CIDR target, so
 *       {@code *} cannot open {@code http://169.254.169.254/} by accident).
 *   <li>{@code 140.82.112.4}, {@code 140.82.112.0/20}, {@code 2606:50c0::/32}: IP-literal hosts in
 *       that prefix; never names.
 * </ul>
 */
public sealed interface HostPattern {

  /** True when this pattern matches the normalised request host. */
  boolean matches(Host host);

  /** The pattern in normalised form. */
  @Override
  String toString();

  record Exact(String name) implements HostPattern {
    @Override
    public boolean matches(Host host) {
      return host instanceof Host.Name n && n.ascii().equals(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** {@code *.suffix}. */
  record Below(String suffix) implements HostPattern {
    @Override
    public boolean matches(Host host) {
      return host instanceof Host.Name n && isStrictlyBelow(n.ascii(), suffix);
    }

    @Override
    public String toString() {
      return "*." + suffix;
    }
  }

  /** {@code **.suffix}. */
  record SelfAndBelow(String suffix) implements HostPattern {
    @Override
    public boolean matches(Host host) {
      return host instanceof Host.Name n
          && (n.ascii().equals(suffix) || isStrictlyBelow(n.ascii(), suffix));
    }

    @Override
    public String toString() {
      return "**." + suffix;
    }
  }

  /** {@code *}. */
  record AnyName() implements HostPattern {
    @Override
    public boolean matches(Host host) {
      return host instanceof Host.Name;
    }

    @Override
    public String toString() {
      return "*";
    }
  }

  /** An IP address or CIDR. */
  record Address(Cidr cidr) implements HostPattern {
    @Override
    public boolean matches(Host host) {
      return host instanceof Host.Ip ip && cidr.contains(ip.address());
    }

    @Override
    public String toString() {
      return cidr.isIpv4() && cidr.prefixLength() == 32
              || !cidr.isIpv4() && cidr.prefixLength() == 128
          ? cidr.network().getHostAddress()
          : cidr.toString();
    }
  }

  /** True when {@code name} ends with {@code "." + suffix}. */
  static boolean isStrictlyBelow(String name, String suffix) {
    return name.length() > suffix.length() + 1
        && name.endsWith(suffix)
        && name.charAt(name.length() - suffix.length() - 1) == '.';
  }

  /**
   * Compiles a target as written in a rule.
   *
   * @throws IllegalArgumentException with a message that names the pattern and says what is wrong
   */
  static HostPattern parse(String text) {
    if (text.equals("*")) {
      return new AnyName();
    }
    if (text.contains("://")) {
      throw bad(text, "write the host alone, without a scheme");
    }
    if (hasRegexCharacter(text)) {
      throw bad(text, "regular expressions are not supported");
    }
    if (text.indexOf('/') >= 0) {
      return new Address(Cidr.parse(text));
    }
    if (text.startsWith("**.") || text.startsWith("*.")) {
      boolean self = text.startsWith("**.");
      String rest = text.substring(self ? 3 : 2);
      if (rest.indexOf('*') >= 0) {
        throw bad(text, wildcardRule());
      }
      Host suffix;
      try {
        suffix = HostNormalizer.parse(rest);
      } catch (InvalidHostException e) {
        throw bad(text, e.getMessage());
      }
      if (!(suffix instanceof Host.Name n)) {
        throw bad(text, "a wildcard cannot stand in front of an IP address; use a CIDR");
      }
      return self ? new SelfAndBelow(n.ascii()) : new Below(n.ascii());
    }
    if (text.indexOf('*') >= 0) {
      throw bad(text, wildcardRule());
    }
    if (text.indexOf(':') >= 0 && !text.startsWith("[") && text.indexOf("::") < 0) {
      long colons = text.chars().filter(c -> c == ':').count();
      if (colons == 1) {
        throw bad(text, "ports go under the rule's ports: key, not in the host");
      }
    }
    Host host;
    try {
      host = HostNormalizer.parse(text);
    } catch (InvalidHostException e) {
      throw bad(text, e.getMessage());
    }
    if (host instanceof Host.Ip ip) {
      return new Address(Cidr.host(ip.address()));
    }
    return new Exact(((Host.Name) host).ascii());
  }

  /** Characters that only make sense in a regular expression: refused with a clear message. */
  private static boolean hasRegexCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      if ("^$()|?+{}\\".indexOf(text.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String wildcardRule() {
    return "a wildcard may only be a whole first label (*.example.com, **.example.com) or the"
        + " whole pattern (*)";
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("host pattern \"" + text + "\": " + why);
  }
}
