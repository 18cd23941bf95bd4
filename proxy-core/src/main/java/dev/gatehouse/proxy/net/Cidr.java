package dev.gatehouse.proxy.net;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP prefix such as {@code 10.1.0.0/16}, {@code fd00::/8} or a single address, parsed without
 * DNS. Used for agents' {@code source_cidrs}.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses an address or prefix literal.
   *
   * @throws IllegalArgumentException naming the value when it is not one
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(addr);
    if (bytes == null) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
    }
    bytes = unmapIpv4(bytes);
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + text + "\" has an invalid prefix length");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException(
            "prefix length " + prefix + " out of range (0-" + max + ") in \"" + text + "\"");
      }
    }
    return new Cidr(mask(bytes, prefix), prefix, t);
  }

  private static byte[] unmapIpv4(byte[] bytes) {
    if (bytes.length == 16) {
      try {
        // InetAddress turns ::ffff:a.b.c.d into an Inet4Address
        return InetAddress.getByAddress(bytes).getAddress();
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    return bytes;
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - bits));
    }
    return out;
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int m = 0xff << (8 - rest) & 0xff;
    return (a[full] & m) == (network[full] & 0xff);
  }

  @Override
  public String toString() {
    return text;
  }
}
