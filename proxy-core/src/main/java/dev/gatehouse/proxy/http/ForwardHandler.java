package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Forwards an allowed request (STYLE: {@code ForwardHandler}): resolves its host once and checks
 * every address, takes a pooled upstream connection to a checked address, sends the request in
 * origin form with hop-by-hop headers removed, and relays the response back, streaming bodies in
 * both directions with backpressure (a side whose peer cannot take more stops reading). Idempotent
 * requests without a body are retried once when a pooled connection turns out to be stale. One
 * exchange at a time (the {@code ExchangeSequencer} sees to that); the upstream connection goes
 * back to the pool when both messages completed and both sides allow keep-alive.
 *
 * <p>This handler receives the events of both connections (the upstream's as its {@link
 * Upstream.Listener}) and streams the request; {@link UpstreamConnector} gets the request onto an
 * upstream connection and shares the exchange's {@link ForwardState}.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter
    implements Upstream.Listener {
  private final ProxyContext context;
  private final UpstreamTls tls;
  private final int defaultPort;

  // built once per handler in handlerAdded, reused by every exchange on the connection
  private ForwardState state;
  private UpstreamConnector connector;

  /**
   * @param tls {@link UpstreamTls#PLAINTEXT} for the forward proxy and plain HTTP in tunnels; the
   *     interception stage passes its own
   */
  public ForwardHandler(ProxyContext context, UpstreamTls tls) {
    this.context = context;
    this.tls = tls;
    this.defaultPort = tls.isPlaintext() ? 80 : 443;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    state = new ForwardState(ctx);
    connector = new UpstreamConnector(context, tls, state, this);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      start(req);
    } else if (msg instanceof HttpContent content) {
      body(content);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void start(HttpRequest req) {
    ForwardState s = state;
    s.begin(Exchange.current(s.ctx.channel()), req);
    OriginRequest.rewrite(req, s.target, s.upgrade, defaultPort);
    connector.resolve();
  }

  private void body(HttpContent content) {
    ForwardState s = state;
    if (s.ex == null) {
      ReferenceCountUtil.release(content); // an exchange already over (answered early)
      return;
    }
    if (content instanceof LastHttpContent) {
      s.requestComplete = true;
    }
    if (s.upstream == null) {
      s.hold(content);
      return;
    }
    Channel up = s.upstream.channel();
    up.write(content);
    if (!up.isWritable()) {
      // pause before flushing: a flush that drains the buffer fires the writability change (and
      // its resume) synchronously, and a pause after it would never be lifted
      ReadGate.pause(s.ctx.channel(), ReadGate.PEER_FULL);
      up.flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Upstream u = state.upstream;
    if (u != null) {
      u.channel().flush();
    }
    ctx.fireChannelReadComplete();
  }

  // --- upstream events: the exchange's own connection only

  @Override
  public void upstreamRead(Upstream u, HttpObject msg) {
    if (u != state.upstream) {
      ReferenceCountUtil.release(msg);
      return;
    }
    read(msg);
  }

  @Override
  public void upstreamReadComplete(Upstream u) {
    if (u == state.upstream) {
      readComplete();
    }
  }

  @Override
  public void upstreamWritable(Upstream u) {
    if (u == state.upstream) {
      ReadGate.resume(state.ctx.channel(), ReadGate.PEER_FULL);
    }
  }

  @Override
  public void upstreamClosed(Upstream u, Throwable cause) {
    if (u != state.upstream) {
      return;
    }
    if (!connector.retryStale(u)) {
      closed(u, cause);
    }
  }

  // --- client connection events

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    // the client idle timeout fired while a request was in progress (IdleTimeoutHandler)
    ForwardState s = state;
    if (s.ex != null && !s.responseStarted) {
      s.dropUpstream();
      s.refuse(
          504,
          s.ex.decision().deny(Reason.UPSTREAM_ERROR, true),
          "no response from the upstream within limits.idle_timeout");
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      clientWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ForwardState s = state;
    Upstream u = s.upstream;
    s.reset();
    if (u != null) {
      u.unbind();
      u.channel().close();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // the last stage: a reset client or a bug; either way the connection is done
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    state.releasePending();
  }

  // --- the response

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
