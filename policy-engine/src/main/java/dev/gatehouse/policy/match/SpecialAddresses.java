package dev.gatehouse.policy.match;

import dev.gatehouse.policy.host.IpLiterals;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses that are not globally reachable (SPEC §2.4): every range the IANA IPv4 and IPv6
 * Special-Purpose Address Registries mark "Globally Reachable: False" (and a few the registries
 * leave open but that no egress proxy should reach: multicast, deprecated 6to4 and Teredo, and the
 * whole of IPv6 outside 2000::/3, which IANA has not allocated for global unicast), plus the IPv4
 * addresses that IPv6 transition forms carry ({@link #embeddedIpv4}).
 */
public final class SpecialAddresses {
  private SpecialAddresses() {}

  /** One non-global range and what it is, for documentation, explanations and tests. */
  public record Range(Cidr cidr, String name) {}

  public static final List<Range> NON_GLOBAL =
      List.of(
          range("0.0.0.0/8", "this network (RFC 791)"),
          range("10.0.0.0/8", "private use (RFC 1918)"),
          range("100.64.0.0/10", "shared address space / CGN (RFC 6598)"),
          range("127.0.0.0/8", "loopback (RFC 1122)"),
          range("169.254.0.0/16", "link local, incl. cloud metadata 169.254.169.254 (RFC 3927)"),
          range("172.16.0.0/12", "private use (RFC 1918)"),
          range("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
          range("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
          range("192.88.99.0/24", "6to4 relay anycast, deprecated (RFC 7526)"),
          range("192.168.0.0/16", "private use (RFC 1918)"),
          range("198.18.0.0/15", "benchmarking (RFC 2544)"),
          range("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
          range("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
          range("224.0.0.0/4", "multicast (RFC 5771)"),
          range("240.0.0.0/4", "reserved (RFC 1112)"),
          range("255.255.255.255/32", "limited broadcast (RFC 919)"),
          range("::/128", "unspecified (RFC 4291)"),
          range("::1/128", "loopback (RFC 4291)"),
          range("::/96", "IPv4-compatible, deprecated (RFC 4291)"),
          range("64:ff9b::/96", "NAT64 well-known prefix (RFC 6052); carries an IPv4 address"),
          range("64:ff9b:1::/48", "local-use NAT64 (RFC 8215)"),
          range("100::/64", "discard-only (RFC 6666)"),
          range("100:0:0:1::/64", "dummy prefix (RFC 9780)"),
          range("2001::/23", "IETF protocol assignments, incl. Teredo 2001::/32 (RFC 2928)"),
          range("2001:db8::/32", "documentation (RFC 3849)"),
          range("2002::/16", "6to4 (RFC 3056); carries an IPv4 address"),
          range("3fff::/20", "documentation (RFC 9637)"),
          range("5f00::/16", "segment routing SIDs (RFC 9602)"),
          range("fc00::/7", "unique local (RFC 4193)"),
          range("fe80::/10", "link local (RFC 4291)"),
          range("fec0::/10", "site local, deprecated (RFC 3879)"),
          range("ff00::/8", "multicast (RFC 4291)"));

  private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
  private static final CidrSet NON_GLOBAL_SET =
      CidrSet.of(NON_GLOBAL.stream().map(Range::cidr).toList());
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr TEREDO = Cidr.parse("2001::/32");
  private static final Cidr V4_COMPATIBLE = Cidr.parse("::/96");

  private static Range range(String cidr, String name) {
    return new Range(Cidr.parse(cidr), name);
  }

  /**
   * True when the address itself is in a non-global range (embedded IPv4 addresses are not looked
   * at here; see {@link #embeddedIpv4}). IPv4-mapped IPv6 is judged as the IPv4 address.
   */
  public static boolean isNonGlobal(InetAddress address) {
    InetAddress a = IpLiterals.canonical(address);
    if (a instanceof Inet6Address && !GLOBAL_UNICAST_V6.contains(a)) {
      return true;
    }
    return NON_GLOBAL_SET.contains(a);
  }

  /** The named non-global range holding {@code address}, if any (for explanations). */
  public static String describe(InetAddress address) {
    InetAddress a = IpLiterals.canonical(address);
    for (Range r : NON_GLOBAL) {
      if (r.cidr().contains(a)) {
        return r.cidr() + " " + r.name();
      }
    }
    if (a instanceof Inet6Address && !GLOBAL_UNICAST_V6.contains(a)) {
      return "outside 2000::/3 (not allocated for global unicast)";
    }
    return "globally reachable";
  }

  /**
   * The IPv4 addresses an IPv6 address carries and through which it may reach an IPv4 host: NAT64
   * {@code 64:ff9b::a.b.c.d}, 6to4 {@code 2002:AABB:CCDD::}, Teredo {@code 2001:0:SSSS:SSSS::~CCCC}
   * (server and inverted client address), IPv4-compatible {@code ::a.b.c.d}. Empty for others.
   */
  public static List<Inet4Address> embeddedIpv4(InetAddress address) {
    InetAddress a = IpLiterals.canonical(address);
    if (!(a instanceof Inet6Address)) {
      return List.of();
    }
    byte[] b = a.getAddress();
    List<Inet4Address> out = new ArrayList<>(2);
    if (NAT64.contains(a) || (V4_COMPATIBLE.contains(a) && !allZeroOrOne(b))) {
      out.add(v4(b[12], b[13], b[14], b[15]));
    } else if (SIX_TO_FOUR.contains(a)) {
      out.add(v4(b[2], b[3], b[4], b[5]));
    } else if (TEREDO.contains(a)) {
      out.add(v4(b[4], b[5], b[6], b[7]));
      out.add(v4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
    }
    return out;
  }

  private static boolean allZeroOrOne(byte[] b) {
    for (int i = 0; i < 15; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[15] == 0 || b[15] == 1;
  }

  private static Inet4Address v4(byte a, byte b, byte c, byte d) {
    return (Inet4Address) IpLiterals.fromBytes(new byte[] {a, b, c, d});
  }
}
