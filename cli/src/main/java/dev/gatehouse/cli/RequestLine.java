package dev.gatehouse.cli;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Request;
import java.util.Locale;

/**
 * A request as people write it on a command line or in a cases file: {@code GET
 * https://pypi.org/simple/} or {@code CONNECT github.com:443}. Parsed the way the proxy reads an
 * absolute-form request target: scheme, host, optional port, path without query.
 */
public record RequestLine(String method, String scheme, String rawHost, int port, String path) {

  /** Parses {@code METHOD URL}; throws {@link IllegalArgumentException} naming what is wrong. */
  public static RequestLine parse(String method, String target) {
    String m = method.trim();
    if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '-' || c == '_')) {
      throw new IllegalArgumentException(
          "method '" + method + "' is not an upper-case HTTP method (e.g. GET)");
    }
    if (Request.CONNECT.equals(m)) {
      Authority a = Authority.parse(target, -1);
      if (a.port < 0) {
        throw new IllegalArgumentException(
            "CONNECT target '" + target + "' needs a port (host:443)");
      }
      return new RequestLine(m, "", a.host, a.port, "");
    }
    int colon = target.indexOf("://");
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "'"
              + target
              + "' is not an absolute URL (expected http://host/path or https://host/path)");
    }
    String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
    int defaultPort =
        switch (scheme) {
          case "http", "ws" -> 80;
          case "https", "wss" -> 443;
          default ->
              throw new IllegalArgumentException(
                  "scheme '" + scheme + "' is not http or https in '" + target + "'");
        };
    String rest = target.substring(colon + 3);
    int end = indexOfAny(rest, "/?#");
    String authority = end < 0 ? rest : rest.substring(0, end);
    String pathAndQuery = end < 0 ? "/" : rest.substring(end);
    if (authority.contains("@")) {
      throw new IllegalArgumentException(
          "URL '" + target + "' carries credentials; leave them out");
    }
    Authority a = Authority.parse(authority, defaultPort);
    int q = indexOfAny(pathAndQuery, "?#");
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    return new RequestLine(m, scheme, a.host, a.port, path.isEmpty() ? "/" : path);
  }

  /** Parses {@code "GET https://x/"} as one string (cases files). */
  public static RequestLine parse(String line) {
    String trimmed = line.trim();
    int space = trimmed.indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException(
          "request '" + line + "' must be 'METHOD URL' (e.g. \"GET https://pypi.org/simple/\")");
    }
    return parse(trimmed.substring(0, space), trimmed.substring(space + 1).trim());
  }

  /** The engine's request for {@code agent}; throws {@code InvalidHostException} for bad hosts. */
  public Request toRequest(String agent) {
    Host host = Host.parse(rawHost);
    return Request.CONNECT.equals(method)
        ? Request.connect(agent, host, port)
        : new Request(agent, method, host, port, path);
  }

  /** The request as written again, for messages. */
  public String display() {
    if (Request.CONNECT.equals(method)) {
      return method + " " + bracket(rawHost) + ":" + port;
    }
    return method + " " + scheme + "://" + bracket(rawHost) + ":" + port + path;
  }

  private static String bracket(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private record Authority(String host, int port) {
    static Authority parse(String authority, int defaultPort) {
      String host;
      String portText = null;
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' in '" + authority + "'");
        }
        host = authority.substring(1, close);
        String after = authority.substring(close + 1);
        if (after.startsWith(":")) {
          portText = after.substring(1);
        } else if (!after.isEmpty()) {
          throw new IllegalArgumentException(
              "unexpected '" + after + "' after ']' in '" + authority + "'");
        }
      } else {
        int c = authority.lastIndexOf(':');
        if (c >= 0 && authority.indexOf(':') == c) {
          host = authority.substring(0, c);
          portText = authority.substring(c + 1);
        } else {
          host = authority;
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("no host in '" + authority + "'");
      }
      int port = defaultPort;
      if (portText != null) {
        try {
          port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("port '" + portText + "' is not a number");
        }
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("port " + port + " out of range (1-65535)");
        }
      }
      return new Authority(host, port);
    }
  }
}
