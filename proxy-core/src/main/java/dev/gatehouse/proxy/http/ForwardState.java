package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The exchange the forward stage is working on, shared by {@link ForwardHandler}, {@link
 * UpstreamConnector} and {@link ResponseRelay}. One per client connection (or intercepted tunnel),
 * reset between exchanges, so a keep-alive request allocates nothing for it. Event-loop confined;
 * the fields are plain so the per-request path reads and writes them directly.
 */
final class ForwardState {
  final ChannelHandlerContext ctx;

  // the exchange in progress, all null/false between exchanges
  Exchange ex;
  RequestTarget target;
  HttpRequest request;
  List<HttpContent> pending;
  boolean requestComplete;
  boolean clientHttp10;
  boolean headRequest;
  boolean retryable;
  boolean retried;
  List<InetSocketAddress> addresses;
  int addressIndex;
  Upstream upstream;
  boolean responseStarted;
  boolean informational;
  boolean upstreamKeepAlive;
  boolean closeClient;
  boolean upgrade;
  boolean switching;

  ForwardState(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Takes on the exchange of {@code req}, reading what the forward needs from it before its
   * hop-by-hop headers go.
   */
  void begin(Exchange exchange, HttpRequest req) {
    ex = exchange;
    target = exchange.requestTarget();
    clientHttp10 = req.protocolVersion().minorVersion() == 0;
    headRequest = HttpMethod.HEAD.equals(req.method());
    upgrade = WebSocketUpgrade.requested(req, exchange.bodyExpected());
    // a WebSocket upgrade is never retried
    retryable = !upgrade && !exchange.bodyExpected() && OriginRequest.isIdempotent(req.method());
    request = req;
  }

  /** Keeps a request body part until the upstream connection is there. */
  void hold(HttpContent content) {
    if (pending == null) {
      pending = new ArrayList<>(2);
    }
    pending.add(content);
  }

  /** Ends the exchange with a refusal from the proxy (nothing of a response was sent yet). */
  void refuse(int status, Decision d, String detail) {
    Exchange e = ex;
    reset();
    ReadGate.resume(ctx.channel(), ReadGate.CONNECTING | ReadGate.PEER_FULL);
    e.refuse(ctx, status, d, detail);
  }

  /** Detaches from the upstream connection, if any, and closes it. */
  void dropUpstream() {
    Upstream u = upstream;
    if (u != null) {
      u.unbind();
      u.channel().close();
    }
  }

  void releasePending() {
    if (pending != null) {
      pending.forEach(ReferenceCountUtil::release);
      pending = null;
    }
  }

  void reset() {
    ex = null;
    target = null;
    request = null;
    releasePending();
    requestComplete = false;
    retried = false;
    addresses = null;
    upstream = null;
    responseStarted = false;
    informational = false;
    upstreamKeepAlive = false;
    closeClient = false;
    upgrade = false;
    switching = false;
  }
}
