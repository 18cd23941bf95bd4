package dev.gatehouse.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Fits an upstream response to the client's HTTP version and connection (NETTY-NOTES): Netty's
 * encoder takes chunked framing from {@code Transfer-Encoding}, so a body delimited by the upstream
 * closing is chunked for HTTP/1.1 clients, and HTTP/1.0 clients get the body unchunked followed by
 * a close.
 */
final class ResponseFraming {
  private ResponseFraming() {}

  /** The body ends when the upstream closes (no length, not chunked, and a body is possible). */
  static boolean closeDelimited(HttpResponse response, boolean headRequest) {
    return !bodiless(response, headRequest)
        && !HttpUtil.isTransferEncodingChunked(response)
        && !HttpUtil.isContentLengthSet(response);
  }

  private static boolean bodiless(HttpResponse response, boolean headRequest) {
    int code = response.status().code();
    return headRequest || code == 204 || code == 304;
  }

  /**
   * Rewrites the framing and {@code Connection} headers of a response whose hop-by-hop headers are
   * already removed.
   *
   * @return true when the client connection must close after this response
   */
  static boolean prepareForClient(
      HttpResponse response, boolean headRequest, boolean clientHttp10, boolean clientKeepAlive) {
    boolean close = !clientKeepAlive;
    if (closeDelimited(response, headRequest)) {
      if (clientHttp10) {
        close = true;
      } else {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
    } else if (clientHttp10 && HttpUtil.isTransferEncodingChunked(response)) {
      response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      close = true;
    }
    response.setProtocolVersion(HttpVersion.HTTP_1_1);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (clientHttp10) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return close;
  }
}
