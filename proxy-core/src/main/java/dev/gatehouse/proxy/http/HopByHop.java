package dev.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hop-by-hop header handling (RFC 9110 §7.6.1): headers that describe one connection are removed
 * before a message is forwarded, including every header named in {@code Connection}. {@code
 * Transfer-Encoding} is kept: Netty's encoder takes the chunked framing from it (NETTY-NOTES).
 */
public final class HopByHop {
  private static final String GATEHOUSE_PREFIX = "gatehouse-";
  // Netty deprecates these constants (they are not standard headers); the names still arrive
  static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  public static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

  private HopByHop() {}

  /** Request headers to send upstream: hop-by-hop and proxy credentials removed. */
  public static void stripRequest(HttpHeaders h) {
    stripConnectionNamed(h);
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove(KEEP_ALIVE);
    h.remove(PROXY_CONNECTION);
    h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
    h.remove(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.UPGRADE);
  }

  /** Response headers to send to the client: hop-by-hop and {@code Gatehouse-*} removed. */
  public static void stripResponse(HttpHeaders h) {
    stripConnectionNamed(h);
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove(KEEP_ALIVE);
    h.remove(PROXY_CONNECTION);
    h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
    h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    h.remove(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.UPGRADE);
    stripGatehouse(h);
  }

  /** Removes {@code Gatehouse-*}: a site cannot forge a Gatehouse block. */
  public static void stripGatehouse(HttpHeaders h) {
    boolean any = false;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
        it.hasNext(); ) {
      if (isGatehouse(it.next().getKey())) {
        any = true;
        break;
      }
    }
    if (!any) {
      return;
    }
    List<String> names = h.names().stream().filter(HopByHop::isGatehouse).toList();
    for (String n : names) {
      h.remove(n);
    }
  }

  private static boolean isGatehouse(CharSequence name) {
    return name.length() >= GATEHOUSE_PREFIX.length()
        && (name.charAt(0) | 0x20) == 'g'
        && AsciiString.regionMatches(name, true, 0, GATEHOUSE_PREFIX, 0, GATEHOUSE_PREFIX.length());
  }

  private static void stripConnectionNamed(HttpHeaders h) {
    List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
    if (connection.isEmpty()) {
      return;
    }
    for (String value : connection) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (name.isEmpty()
            || name.equalsIgnoreCase("close")
            || name.equalsIgnoreCase("keep-alive")
            // never let Connection remove the framing headers
            || name.equalsIgnoreCase("transfer-encoding")
            || name.equalsIgnoreCase("content-length")
            || name.equalsIgnoreCase("host")) {
          continue;
        }
        h.remove(name);
      }
    }
  }
}
