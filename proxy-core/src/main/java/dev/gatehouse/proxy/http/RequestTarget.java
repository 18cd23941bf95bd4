package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import java.util.Objects;

/**
 * Where a request goes, parsed from its request target (RFC 9112 §3.2): the absolute URI of a
 * forward-proxy request, the authority of a CONNECT, or the origin-form target of a request inside
 * a tunnel (whose host is the tunnel's). The request target decides; a {@code Host} header that
 * disagrees is a bad request (SPEC §3).
 *
 * @param host the normalised host
 * @param port the port (80 when an {@code http} URI names none)
 * @param path the path as sent, percent-encoded, without query; {@code ""} for CONNECT
 * @param query the query without {@code ?}, or null
 */
public record RequestTarget(Host host, int port, String path, String query, String hostText) {

  /**
   * @param hostText the host for URLs and {@code Host} headers (IPv6 in brackets), computed once
   */
  public RequestTarget {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(hostText, "hostText");
  }

  public RequestTarget(Host host, int port, String path, String query) {
    this(host, port, path, query, hostTextOf(host));
  }

  private static String hostTextOf(Host host) {
    String h = host.toString();
    return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
  }

  /** A request target the proxy will not serve: answered 400 with {@link #getMessage()}. */
  public static final class BadTargetException extends Exception {
    public BadTargetException(String message) {
      super(message, null, false, false);
    }
  }

  /** Parses an absolute-form {@code http://} target. */
  public static RequestTarget absolute(String uri) throws BadTargetException {
    if (uri.startsWith("/")) {
      throw new BadTargetException(
          "origin-form request target "
              + clip(uri)
              + ": a proxy needs the absolute URI (GET http://host/path)");
    }
    int colon = uri.indexOf("://");
    if (colon < 0) {
      throw new BadTargetException(
          "request target " + clip(uri) + " is not an absolute http:// URI");
    }
    String scheme = uri.substring(0, colon);
    if (!scheme.equalsIgnoreCase("http")) {
      throw new BadTargetException(
          "scheme "
              + clip(scheme)
              + " is not served in absolute form: use CONNECT host:port for https");
    }
    return parseAbsolute(uri, colon, 80);
  }

  private static RequestTarget parseAbsolute(String uri, int colon, int defaultPort)
      throws BadTargetException {
    int start = colon + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    String authority = uri.substring(start, end);
    if (authority.indexOf('@') >= 0) {
      throw new BadTargetException("credentials in the request URI are not accepted");
    }
    String rest = uri.substring(end);
    if (rest.indexOf('#') >= 0) {
      throw new BadTargetException("a request target cannot carry a fragment");
    }
    String path;
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      path = rest.substring(0, q);
      query = rest.substring(q + 1);
    } else {
      path = rest;
    }
    if (path.isEmpty()) {
      path = "/";
    }
    checkPathChars(path);
    HostAndPort hp = authority(authority, defaultPort);
    return new RequestTarget(hp.host, hp.port, path, query);
  }

  /** Parses a CONNECT target: {@code host:port} with a mandatory port. */
  public static RequestTarget connect(String uri) throws BadTargetException {
    if (uri.isEmpty() || uri.indexOf('/') >= 0 || uri.indexOf('@') >= 0) {
      throw new BadTargetException("CONNECT needs host:port, got " + clip(uri));
    }
    HostAndPort hp = authority(uri, -1);
    if (hp.port < 0) {
      throw new BadTargetException("CONNECT needs a port: " + clip(uri));
    }
    return new RequestTarget(hp.host, hp.port, "", null);
  }

  /** Parses an origin-form target inside a tunnel to {@code host:port}. */
  public static RequestTarget inTunnel(String uri, Host host, int port) throws BadTargetException {
    if (uri.startsWith("/")) {
      int q = uri.indexOf('?');
      String path = q < 0 ? uri : uri.substring(0, q);
      if (uri.indexOf('#') >= 0) {
        throw new BadTargetException("a request target cannot carry a fragment");
      }
      checkPathChars(path);
      return new RequestTarget(host, port, path, q < 0 ? null : uri.substring(q + 1));
    }
    // absolute form is allowed too, as long as it names the tunnel's own host and port
    int colon = uri.indexOf("://");
    String scheme = colon < 0 ? "" : uri.substring(0, colon);
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      throw new BadTargetException("request target " + clip(uri) + " is not valid");
    }
    RequestTarget t = parseAbsolute(uri, colon, port);
    if (!t.host.equals(host) || t.port != port) {
      throw new BadTargetException(
          "request for " + t.host + " inside a tunnel to " + host + ":" + port);
    }
    return new RequestTarget(host, port, t.path, t.query);
  }

  /**
   * Checks a {@code Host} header against the target: same host, and the same port when it names one
   * (or the default port when it does not).
   */
  public void checkHostHeader(String hostHeader, int defaultPort) throws BadTargetException {
    HostAndPort hp = authority(hostHeader.trim(), defaultPort);
    if (!hp.host.equals(host) || hp.port != port) {
      throw new BadTargetException(
          "Host header " + clip(hostHeader) + " disagrees with the request target " + authority());
    }
  }

  /** {@code host:port}, IPv6 in brackets. */
  public String authority() {
    return hostText() + ":" + port;
  }

  /** The {@code Host} header value to send upstream. */
  public String hostHeader(int defaultPort) {
    return port == defaultPort ? hostText() : authority();
  }

  /** The origin-form target to send upstream: path and query. */
  public String originForm() {
    return query == null ? path : path + "?" + query;
  }

  /** {@code url.full} without the query (SPEC §4). */
  public String urlWithoutQuery(String scheme, int defaultPort) {
    return scheme + "://" + hostHeader(defaultPort) + path;
  }

  private record HostAndPort(Host host, int port) {}

  private static HostAndPort authority(String authority, int defaultPort)
      throws BadTargetException {
    if (authority.isEmpty()) {
      throw new BadTargetException("the request names no host");
    }
    String hostPart;
    String portPart = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new BadTargetException("unbalanced [ in " + clip(authority));
      }
      hostPart = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (after.charAt(0) != ':') {
          throw new BadTargetException("invalid authority " + clip(authority));
        }
        portPart = after.substring(1);
      }
    } else {
      int c = authority.lastIndexOf(':');
      if (c >= 0) {
        if (authority.indexOf(':') != c) {
          throw new BadTargetException("IPv6 addresses need brackets: " + clip(authority));
        }
        hostPart = authority.substring(0, c);
        portPart = authority.substring(c + 1);
      } else {
        hostPart = authority;
      }
    }
    int port = defaultPort;
    if (portPart != null) {
      port = parsePort(portPart, authority);
    }
    Host host;
    try {
      host = Host.parse(hostPart);
    } catch (InvalidHostException e) {
      throw new BadTargetException("invalid host " + clip(hostPart) + ": " + e.getMessage());
    }
    return new HostAndPort(host, port);
  }

  private static int parsePort(String s, String authority) throws BadTargetException {
    if (s.isEmpty() || s.length() > 5) {
      throw new BadTargetException("invalid port in " + clip(authority));
    }
    int p = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadTargetException("invalid port in " + clip(authority));
      }
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) {
      throw new BadTargetException("port " + p + " out of range (1-65535)");
    }
    return p;
  }

  private static void checkPathChars(String path) throws BadTargetException {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        throw new BadTargetException(
            "the request path has a character that must be percent-encoded");
      }
    }
  }

  static String clip(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder(t.length() + 2).append('"');
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return b.append('"').toString();
  }
}
