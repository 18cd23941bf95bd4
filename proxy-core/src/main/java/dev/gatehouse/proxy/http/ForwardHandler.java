package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

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
 * upstream connection, {@link ResponseRelay} brings the response back, and both share the
 * exchange's {@link ForwardState}.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter
    implements Upstream.Listener {
  private final ProxyContext context;
  private final UpstreamTls tls;
  private final int defaultPort;

  // built once per handler in handlerAdded, reused by every exchange on the connection
  private ForwardState state;
  private UpstreamConnector connector;
  private ResponseRelay relay;

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
    relay = new ResponseRelay(context, state);
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
    relay.read(msg);
  }

  @Override
  public void upstreamReadComplete(Upstream u) {
    if (u == state.upstream) {
      relay.readComplete();
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
      relay.closed(u, cause);
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
      relay.clientWritable();
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
}
