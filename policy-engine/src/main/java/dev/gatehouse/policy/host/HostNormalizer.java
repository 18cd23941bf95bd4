package dev.gatehouse.policy.host;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import java.net.IDN;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Host normalisation (SPEC §2.2), run once per request before any rule is looked at, and on every
 * host pattern when a policy is compiled, so both sides are compared in the same form.
 *
 * <ul>
 *   <li>{@code [v6]} or a bare IPv6 literal → {@link Host.Ip}; zone ids are refused; IPv4-mapped
 *       addresses become the IPv4 address.
 *   <li>A name whose last label starts with a digit must be an IPv4 address in one of the {@code
 *       inet_aton} spellings ({@code 127.1}, {@code 2130706433}, {@code 0x7f000001}, {@code
 *       0177.0.0.1}) → {@link Host.Ip}; otherwise it is refused ({@code 1.2.3.999}, {@code 0x1g}).
 *       No top-level domain starts with a digit, so nothing real is lost, and a numeric spelling
 *       can never reach a host pattern.
 *   <li>Otherwise a DNS name: one trailing dot removed, IDN → A-labels ({@link IDN#toASCII} with
 *       STD3 rules), lower case, labels of 1-63 letters, digits and inner hyphens, at most 253
 *       characters → {@link Host.Name}.
 * </ul>
 */
public final class HostNormalizer {
  private HostNormalizer() {}

  /** Longer input is refused before any work: no valid host (name or literal) comes close. */
  private static final int MAX_INPUT = 1024;

  public static Host parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new InvalidHostException("empty host");
    }
    if (raw.length() > MAX_INPUT) {
      throw new InvalidHostException("host longer than " + MAX_INPUT + " characters");
    }
    if (raw.charAt(0) == '[') {
      if (raw.charAt(raw.length() - 1) != ']') {
        throw invalid(raw, "unterminated IPv6 literal");
      }
      return ipv6(raw, raw.substring(1, raw.length() - 1));
    }
    if (raw.indexOf(':') >= 0) {
      return ipv6(raw, raw);
    }
    return name(raw);
  }

  private static Host ipv6(String raw, String literal) {
    if (literal.indexOf('%') >= 0) {
      throw invalid(raw, "IPv6 zone ids are not allowed");
    }
    Optional<InetAddress> address = IpLiterals.parseIpv6(literal);
    if (address.isEmpty()) {
      throw invalid(raw, "not a valid IPv6 literal");
    }
    return new Host.Ip(address.get());
  }

  private static Host name(String raw) {
    String s = raw;
    // exactly one trailing dot (the DNS root) may be dropped; IDN full stops count as dots
    if (isDot(s.charAt(s.length() - 1))) {
      s = s.substring(0, s.length() - 1);
      if (s.isEmpty() || isDot(s.charAt(s.length() - 1))) {
        throw invalid(raw, "empty label");
      }
    }
    if (!isAscii(s)) {
      try {
        s = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        throw invalid(raw, "not a valid internationalised name (" + e.getMessage() + ")");
      }
    }
    s = asciiLowerCase(s);
    if (s.length() > 253) {
      throw invalid(raw, "longer than 253 characters");
    }
    int lastDot = s.lastIndexOf('.');
    char lastLabelStart = lastDot + 1 < s.length() ? s.charAt(lastDot + 1) : '.';
    if (lastLabelStart >= '0' && lastLabelStart <= '9') {
      return IpLiterals.parseLegacyIpv4(s)
          .<Host>map(Host.Ip::new)
          .orElseThrow(() -> invalid(raw, "numeric but not an IPv4 address"));
    }
    String problem = checkLabels(s);
    if (problem != null) {
      throw invalid(raw, problem);
    }
    return new Host.Name(s);
  }

  /** Null when every label is LDH, 1-63 characters, no hyphen at either end; else the problem. */
  private static String checkLabels(String s) {
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        int len = i - start;
        if (len == 0) {
          return "empty label";
        }
        if (len > 63) {
          return "label longer than 63 characters";
        }
        if (s.charAt(start) == '-' || s.charAt(i - 1) == '-') {
          return "label starts or ends with a hyphen";
        }
        if (len > 4 && s.startsWith("xn--", start)) {
          String label = s.substring(start, i);
          if (IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES).equals(label)) {
            return "label " + label + " is not valid punycode";
          }
        }
        start = i + 1;
        continue;
      }
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return "character '" + printable(c) + "' not allowed in a host name";
      }
    }
    return null;
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }

  private static boolean isDot(char c) {
    return c == '.' || c == '\u3002' || c == '\uff0e' || c == '\uff61';
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLowerCase(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return s;
  }

  private static InvalidHostException invalid(String raw, String why) {
    String shown = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      safe.append(c < 0x20 || c == 0x7f ? printable(c) : String.valueOf(c));
    }
    return new InvalidHostException("invalid host \"" + safe + "\": " + why);
  }
}
