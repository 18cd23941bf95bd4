package dev.gatehouse.config;

import dev.gatehouse.config.model.HostPort;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the small value syntaxes of {@code gatehouse.yaml}: durations ({@code 250ms}, {@code
 * 5s}, {@code 2m}, {@code 1h}, {@code 1d}), sizes ({@code 512KB}, {@code 100MB}, {@code 1GiB},
 * plain bytes) and addresses ({@code 127.0.0.1:3128}, {@code [::1]:3128}). Each returns empty for a
 * value it cannot read; the caller reports it with the location.
 */
final class Values {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,15})\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  static final String DURATION_HINT = "a duration like 250ms, 5s, 2m or 1h";
  static final String SIZE_HINT = "a size like 512KB, 100MB, 1GiB or a number of bytes";

  private Values() {}

  static Optional<Duration> duration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        });
  }

  /** Bytes; KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024. Empty on overflow. */
  static Optional<Long> size(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "KB" -> 1000L;
          case "MB" -> 1000L * 1000;
          case "GB" -> 1000L * 1000 * 1000;
          case "TB" -> 1000L * 1000 * 1000 * 1000;
          case "KIB" -> 1L << 10;
          case "MIB" -> 1L << 20;
          case "GIB" -> 1L << 30;
          case "TIB" -> 1L << 40;
          default -> 1L;
        };
    try {
      return Optional.of(Math.multiplyExact(amount, factor));
    } catch (ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code host:port} or {@code [ipv6]:port}; with {@code defaultPort} >= 0 the port may be left
   * out ({@code 127.0.0.1}, {@code ::1}). Ports must lie in {@code [minPort, 65535]}.
   */
  static Optional<HostPort> hostPort(String text, int defaultPort, int minPort) {
    String s = text.strip();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        port = null;
      } else if (rest.startsWith(":")) {
        port = rest.substring(1);
      } else {
        return Optional.empty();
      }
      if (!isIpv6(host)) {
        return Optional.empty();
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      // Bare IPv6 literal: only valid without a port (a port needs brackets).
      host = s;
      port = null;
      if (!isIpv6(host)) {
        return Optional.empty();
      }
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
      if (!HOST.matcher(host).matches()) {
        return Optional.empty();
      }
    }
    int number;
    if (port == null) {
      if (defaultPort < 0) {
        return Optional.empty();
      }
      number = defaultPort;
    } else {
      if (!PORT.matcher(port).matches()) {
        return Optional.empty();
      }
      number = Integer.parseInt(port);
    }
    if (number < minPort || number > 65535) {
      return Optional.empty();
    }
    return Optional.of(new HostPort(host, number));
  }

  /** A dotted-quad IPv4 or an IPv6 literal (no names: a resolver cannot be found by name). */
  static boolean isIpLiteral(String host) {
    if (isIpv6(host)) {
      return true;
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String host) {
    return !host.isEmpty()
        && host.indexOf(':') >= 0
        && host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
  }
}
