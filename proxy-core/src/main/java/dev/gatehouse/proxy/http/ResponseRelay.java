package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Relays the upstream's response to the client for the forward stage: skips informational responses
 * (passing a {@code 100 Continue} to HTTP/1.1 clients), switches to a byte relay after a WebSocket
 * {@code 101}, fits the framing to the client ({@link ResponseFraming}), stops reading the upstream
 * while the client cannot take more, and at the response's end returns the upstream connection to
 * the pool when both sides allow keep-alive.
 */
final class ResponseRelay {
  private final ProxyContext context;
  private final ForwardState state;

  ResponseRelay(ProxyContext context, ForwardState state) {
    this.context = context;
    this.state = state;
  }

  /** A message from the exchange's own upstream connection. */
  void read(HttpObject msg) {
    if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      fail("the upstream response is malformed: " + msg.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpResponse response) {
      response(response);
    }
    if (msg instanceof HttpContent content) {
      content(content);
    }
  }

  private void response(HttpResponse response) {
    ForwardState s = state;
    int code = response.status().code();
    if (code < 200) {
      s.informational = true;
      if (code == 101) {
        if (s.upgrade) {
          switchProtocols(response);
        } else {
          // Upgrade was not forwarded, so a 101 is a server error
          fail("unexpected 101 Switching Protocols");
        }
        return;
      }
      if (!s.clientHttp10 && code == 100) {
        s.ctx.writeAndFlush(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      }
      return;
    }
    s.responseStarted = true;
    // read before the hop-by-hop headers go: a body delimited by close ends the connection
    s.upstreamKeepAlive =
        HttpUtil.isKeepAlive(response) && !ResponseFraming.closeDelimited(response, s.headRequest);
    HopByHop.stripResponse(response.headers());
    s.closeClient =
        ResponseFraming.prepareForClient(
            response, s.headRequest, s.clientHttp10, s.ex.clientKeepAlive());
    s.ctx.write(response);
  }

  private void content(HttpContent content) {
    ForwardState s = state;
    if (s.switching) {
      content.release();
      if (content instanceof LastHttpContent) {
        relayUpgraded();
      }
      return;
    }
    if (s.informational) {
      content.release();
      if (content instanceof LastHttpContent) {
        s.informational = false;
      }
      return;
    }
    if (content instanceof LastHttpContent last) {
      responseDone(last);
      return;
    }
    ChannelHandlerContext ctx = s.ctx;
    ctx.write(content);
    if (!ctx.channel().isWritable()) {
      // pause before flushing, as in ForwardHandler.body(): the flush may resume synchronously
      ReadGate.pause(s.upstream.channel(), ReadGate.PEER_FULL);
      ctx.flush();
    }
  }

  /** The upstream agreed to a WebSocket upgrade: answer 101, then relay bytes both ways. */
  private void switchProtocols(HttpResponse response) {
    state.informational = false;
    state.switching = true;
    state.ctx.writeAndFlush(WebSocketUpgrade.switching(response)); // ends the call (status 101)
  }

  private void relayUpgraded() {
    Upstream u = state.upstream;
    state.reset();
    u.unbind();
    WebSocketUpgrade.relay(state.ctx.pipeline(), u.channel().pipeline());
  }

  private void responseDone(LastHttpContent last) {
    ForwardState s = state;
    ChannelHandlerContext ctx = s.ctx;
    Upstream u = s.upstream;
    Exchange e = s.ex;
    boolean reusable = s.upstreamKeepAlive && s.requestComplete;
    boolean close = s.closeClient || !s.requestComplete;
    s.reset();
    ReadGate.resume(u.channel(), ReadGate.PEER_FULL);
    if (reusable) {
      context.pool().release(u);
    } else {
      u.unbind();
      u.channel().close();
    }
    ReadGate.resume(ctx.channel(), ReadGate.PEER_FULL | ReadGate.CONNECTING);
    if (close) {
      e.closeAfter();
      ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(last);
    }
  }

  /** The upstream read a batch: pass what was written on to the client. */
  void readComplete() {
    state.ctx.flush();
  }

  /** The client can take more again: let the upstream read. */
  void clientWritable() {
    Upstream u = state.upstream;
    if (u != null) {
      ReadGate.resume(u.channel(), ReadGate.PEER_FULL);
    }
  }

  /** The exchange's upstream connection closed and is not retried; {@code cause} may be null. */
  void closed(Upstream u, Throwable cause) {
    fail(
        cause == null
            ? "the server closed the connection without a complete response"
            : UpstreamConnector.describe(cause, (InetSocketAddress) u.channel().remoteAddress()));
  }

  /** The upstream failed: 502 while nothing was sent to the client, else close the client. */
  void fail(String detail) {
    ForwardState s = state;
    s.dropUpstream();
    if (!s.responseStarted) {
      s.refuse(502, s.ex.decision().deny(Reason.UPSTREAM_ERROR, true), detail);
    } else {
      // part of the response is already out: closing is the only honest signal left
      s.reset();
      s.ctx.close();
    }
  }
}
