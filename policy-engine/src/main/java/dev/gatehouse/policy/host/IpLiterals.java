package dev.gatehouse.policy.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP literal parsing without DNS. {@link InetAddress#getByName} is never used on request input: it
 * falls back to a DNS lookup for anything it does not recognise, and accepts zone ids.
 *
 * <p>Two IPv4 grammars: {@link #parseLegacyIpv4} accepts every spelling {@code inet_aton(3)} and
 * browsers accept ({@code 127.1}, {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}), so
 * that a request host written that way is treated as the address it denotes (SPEC §2.4); {@link
 * #parseDottedQuad} accepts only the four-part decimal form and is used for policy CIDRs.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /**
   * Parses an IPv4 address the way {@code inet_aton(3)} does: one to four parts separated by dots,
   * each decimal, octal (leading {@code 0}) or hexadecimal ({@code 0x}); the last part fills the
   * remaining bytes. Empty when the text is not such an address (including out-of-range parts).
   */
  public static Optional<Inet4Address> parseLegacyIpv4(String text) {
    long[] parts = new long[4];
    int count = 0;
    int start = 0;
    int len = text.length();
    if (len == 0) {
      return Optional.empty();
    }
    for (int i = 0; i <= len; i++) {
      if (i == len || text.charAt(i) == '.') {
        if (count == 4) {
          return Optional.empty();
        }
        long value = parseNumber(text, start, i);
        if (value < 0) {
          return Optional.empty();
        }
        parts[count++] = value;
        start = i + 1;
      }
    }
    long address;
    switch (count) {
      case 1 -> address = parts[0];
      case 2 -> {
        if (parts[0] > 0xff || parts[1] > 0xffffffL) {
          return Optional.empty();
        }
        address = (parts[0] << 24) | parts[1];
      }
      case 3 -> {
        if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff) {
          return Optional.empty();
        }
        address = (parts[0] << 24) | (parts[1] << 16) | parts[2];
      }
      default -> {
        for (int p = 0; p < 4; p++) {
          if (parts[p] > 0xff) {
            return Optional.empty();
          }
        }
        address = (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3];
      }
    }
    if (address > 0xffffffffL) {
      return Optional.empty();
    }
    return Optional.of(ipv4((int) address));
  }

  /**
   * One inet_aton part in {@code text[from, to)}: -1 when empty, malformed or above 2^32-1. A bare
   * {@code 0x} is refused (inet_aton and browsers disagree on it; refusing is the safe reading).
   */
  private static long parseNumber(String text, int from, int to) {
    if (from >= to) {
      return -1;
    }
    int radix = 10;
    int i = from;
    if (to - from >= 2
        && text.charAt(from) == '0'
        && (text.charAt(from + 1) == 'x' || text.charAt(from + 1) == 'X')) {
      radix = 16;
      i += 2;
      if (i == to) {
        return -1;
      }
    } else if (to - from >= 2 && text.charAt(from) == '0') {
      radix = 8;
      i += 1;
    }
    long value = 0;
    for (; i < to; i++) {
      char c = text.charAt(i);
      // Character.digit alone would accept non-ASCII digits; inet_aton does not
      int digit = c < 0x80 ? Character.digit(c, radix) : -1;
      if (digit < 0) {
        return -1;
      }
      value = value * radix + digit;
      if (value > 0xffffffffL) {
        return -1;
      }
    }
    return value;
  }

  /** Parses exactly {@code a.b.c.d} with decimal parts 0-255 and no leading zeros. */
  public static Optional<Inet4Address> parseDottedQuad(String text) {
    int value = 0;
    int parts = 0;
    int i = 0;
    int len = text.length();
    while (parts < 4) {
      int start = i;
      int part = 0;
      while (i < len && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
        part = part * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || part > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return Optional.empty();
      }
      value = (value << 8) | part;
      parts++;
      if (parts < 4) {
        if (i >= len || text.charAt(i) != '.') {
          return Optional.empty();
        }
        i++;
      }
    }
    return i == len ? Optional.of(ipv4(value)) : Optional.empty();
  }

  /**
   * Parses an IPv6 literal without brackets (RFC 4291 §2.2: hex groups, one {@code ::}, an optional
   * trailing dotted quad). Zone ids ({@code %eth0}) are refused: a zone names an interface of this
   * machine, which a request must never choose. IPv4-mapped addresses ({@code ::ffff:a.b.c.d}) come
   * back as the IPv4 address they carry.
   */
  public static Optional<InetAddress> parseIpv6(String text) {
    byte[] bytes = ipv6Bytes(text);
    if (bytes == null) {
      return Optional.empty();
    }
    return Optional.of(fromBytes(bytes));
  }

  /** The 16 bytes of an IPv6 literal, or null. */
  static byte[] ipv6Bytes(String text) {
    int len = text.length();
    if (len < 2 || len > 45) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int compressAt = -1;
    int i = 0;
    if (text.startsWith("::")) {
      compressAt = 0;
      i = 2;
      if (i == len) {
        return new byte[16];
      }
    } else if (text.charAt(0) == ':') {
      return null;
    }
    while (i < len) {
      if (count == 8) {
        return null;
      }
      int start = i;
      int value = 0;
      while (i < len && i - start < 5) {
        int d = hexDigit(text.charAt(i));
        if (d < 0) {
          break;
        }
        value = (value << 4) | d;
        i++;
      }
      int digits = i - start;
      if (i < len && text.charAt(i) == '.') {
        // trailing dotted quad: occupies two groups and must end the literal
        if (count > 6) {
          return null;
        }
        Optional<Inet4Address> v4 = parseDottedQuad(text.substring(start));
        if (v4.isEmpty()) {
          return null;
        }
        byte[] b = v4.get().getAddress();
        groups[count++] = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        groups[count++] = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        i = len;
        break;
      }
      if (digits == 0 || digits > 4) {
        return null;
      }
      groups[count++] = value;
      if (i == len) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null; // includes '%' zone ids
      }
      i++;
      if (i < len && text.charAt(i) == ':') {
        if (compressAt >= 0) {
          return null;
        }
        compressAt = count;
        i++;
        if (i == len) {
          break;
        }
      } else if (i == len) {
        return null; // trailing single colon
      }
    }
    if (compressAt < 0 && count != 8) {
      return null;
    }
    if (compressAt >= 0 && count > 7) {
      return null;
    }
    int[] full = new int[8];
    if (compressAt < 0) {
      full = groups;
    } else {
      int tail = count - compressAt;
      System.arraycopy(groups, 0, full, 0, compressAt);
      System.arraycopy(groups, compressAt, full, 8 - tail, tail);
    }
    byte[] bytes = new byte[16];
    for (int g = 0; g < 8; g++) {
      bytes[2 * g] = (byte) (full[g] >>> 8);
      bytes[2 * g + 1] = (byte) full[g];
    }
    return bytes;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * An address from 4 or 16 bytes; 16-byte IPv4-mapped addresses become the IPv4 address (the
   * socket layer connects to the IPv4 host either way).
   */
  public static InetAddress fromBytes(byte[] bytes) {
    try {
      if (bytes.length == 16 && isIpv4Mapped(bytes)) {
        byte[] v4 = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        return InetAddress.getByAddress(v4);
      }
      if (bytes.length == 16) {
        // Inet6Address.getByAddress keeps the 16-byte form (no scope, no mapping)
        return Inet6Address.getByAddress(null, bytes, -1);
      }
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + bytes.length, e);
    }
  }

  /** Folds an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) to IPv4; others unchanged. */
  public static InetAddress canonical(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      if (isIpv4Mapped(b) || v6.getScopeId() != 0 || v6.getScopedInterface() != null) {
        return fromBytes(b);
      }
    }
    return address;
  }

  static boolean isIpv4Mapped(byte[] b) {
    if (b.length != 16) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  static Inet4Address ipv4(int value) {
    byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
