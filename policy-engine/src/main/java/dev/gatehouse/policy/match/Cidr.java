package dev.gatehouse.policy.match;

import dev.gatehouse.policy.host.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 prefix with its host bits cleared. Written {@code 10.0.0.0/8}, {@code
 * 2606:50c0::/32}, or a single address ({@code /32} or {@code /128} implied). IPv4 must be in the
 * four-part decimal form here: a policy is reviewed by people, and {@code 10.1/16} reads as
 * something else to most of them. An IPv4-mapped IPv6 prefix ({@code ::ffff:10.0.0.0/104}) is
 * folded to the IPv4 prefix it covers.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = mask(network, prefixLength);
    this.prefixLength = prefixLength;
  }

  public static Cidr of(InetAddress address, int prefixLength) {
    InetAddress canonical = IpLiterals.canonical(address);
    int bits = canonical.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range (0-" + bits + ")");
    }
    return new Cidr(canonical.getAddress(), prefixLength);
  }

  /** A single address as a /32 or /128. */
  public static Cidr host(InetAddress address) {
    InetAddress canonical = IpLiterals.canonical(address);
    return new Cidr(canonical.getAddress(), canonical.getAddress().length * 8);
  }

  /**
   * Parses {@code address[/length]}.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> address =
        addressText.indexOf(':') >= 0
            ? IpLiterals.parseIpv6(addressText)
            : IpLiterals.parseDottedQuad(addressText).map(a -> (InetAddress) a);
    if (address.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IP address or CIDR (write IPv4 as a.b.c.d[/n])");
    }
    boolean mapped = addressText.indexOf(':') >= 0 && address.get() instanceof Inet4Address;
    int max = address.get().getAddress().length * 8;
    int length = max;
    if (slash >= 0) {
      String lengthText = text.substring(slash + 1);
      if (lengthText.isEmpty()
          || lengthText.length() > 3
          || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("\"" + text + "\" has no valid prefix length");
      }
      length = Integer.parseInt(lengthText);
      if (mapped) {
        if (length < 96 || length > 128) {
          throw new IllegalArgumentException(
              "\"" + text + "\": an IPv4-mapped prefix needs a length of 96-128");
        }
        length -= 96;
      }
      if (length > max) {
        throw new IllegalArgumentException(
            "\"" + text + "\": prefix length " + lengthText + " out of range (0-" + max + ")");
      }
    }
    return new Cidr(address.get().getAddress(), length);
  }

  /** True when {@code text} names host bits that the prefix length clears ({@code 10.1.2.3/8}). */
  public static boolean hasHostBits(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    Cidr cidr = parse(text);
    String addressText = text.substring(0, slash);
    InetAddress written =
        addressText.indexOf(':') >= 0
            ? IpLiterals.parseIpv6(addressText).orElseThrow()
            : IpLiterals.parseDottedQuad(addressText).orElseThrow();
    return !Arrays.equals(written.getAddress(), cidr.network);
  }

  static byte[] mask(byte[] address, int prefixLength) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefixLength - 8 * i));
      out[i] &= (byte) (0xff00 >>> bitsHere);
    }
    return out;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public InetAddress network() {
    return IpLiterals.fromBytes(network);
  }

  byte[] networkBytes() {
    return network;
  }

  public boolean contains(InetAddress address) {
    byte[] b = IpLiterals.canonical(address).getAddress();
    return b.length == network.length && samePrefix(b, network, prefixLength);
  }

  /** True when every address of {@code other} is in this prefix. */
  public boolean contains(Cidr other) {
    return other.network.length == network.length
        && other.prefixLength >= prefixLength
        && samePrefix(other.network, network, prefixLength);
  }

  /** True when the first {@code bits} bits of {@code a} and {@code b} are equal. */
  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int m = 0xff00 >>> rest;
    return (a[full] & m) == (b[full] & m);
  }

  /** True when the two prefixes share at least one address. */
  public boolean overlaps(Cidr other) {
    return contains(other) || other.contains(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.prefixLength == prefixLength
        && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefixLength, Arrays.hashCode(network));
  }

  @Override
  public String toString() {
    return network().getHostAddress() + "/" + prefixLength;
  }
}
