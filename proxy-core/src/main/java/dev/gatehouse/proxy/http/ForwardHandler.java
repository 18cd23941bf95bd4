package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.net.Resolution;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards an allowed request (STYLE: {@code ForwardHandler}): resolves its host once and checks
 * every address, takes a pooled upstream connection to a checked address, sends the request in
 * origin form with hop-by-hop headers removed, and relays the response back, streaming bodies in
 * both directions with backpressure (a side whose peer cannot take more stops reading). Idempotent
 * requests without a body are retried once when a pooled connection turns out to be stale. One
 * exchange at a time (the {@code ExchangeSequencer} sees to that); the upstream connection goes
 * back to the pool when both messages completed and both sides allow keep-alive.
 */
public final class ForwardHandler extends ChannelInboundHandlerAdapter
    implements Upstream.Listener {
  private final ProxyContext context;
  private final UpstreamTls tls;
  private final int defaultPort;

  private ChannelHandlerContext ctx;

  // the exchange in progress, all null/false between exchanges
  private Exchange ex;
  private RequestTarget target;
  private HttpRequest request;
  private List<HttpContent> pending;
  private boolean requestComplete;
  private boolean clientHttp10;
  private boolean headRequest;
  private boolean retryable;
  private boolean retried;
  private List<InetSocketAddress> addresses;
  private int addressIndex;
  private Upstream upstream;
  private boolean responseStarted;
  private boolean informational;
  private boolean upstreamKeepAlive;
  private boolean closeClient;
  private boolean upgrade;
  private boolean switching;

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
    this.ctx = ctx;
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
    ex = Exchange.current(ctx.channel());
    target = ex.requestTarget();
    clientHttp10 = req.protocolVersion().minorVersion() == 0;
    headRequest = HttpMethod.HEAD.equals(req.method());
    retryable = !ex.bodyExpected() && OriginRequest.isIdempotent(req.method());
    upgrade = WebSocketUpgrade.requested(req, ex.bodyExpected());
    if (upgrade) {
      retryable = false;
    }
    OriginRequest.rewrite(req, target, upgrade, defaultPort);
    request = req;
    Exchange mine = ex;
    Future<Resolution> resolution =
        context
            .resolver()
            .resolve(ctx.channel().eventLoop(), target.host(), target.port(), ex.policy().engine());
    if (resolution.isDone()) {
      resolved(mine, resolution.getNow()); // IP literals and cached answers: no read pause
    } else {
      // reads pause only while waiting: toggling them costs two epoll_ctl calls (NETTY-NOTES)
      ReadGate.pause(ctx.channel(), ReadGate.CONNECTING);
      resolution.addListener(f -> resolved(mine, resolution.getNow()));
    }
  }

  private void body(HttpContent content) {
    if (ex == null) {
      ReferenceCountUtil.release(content); // an exchange already over (answered early)
      return;
    }
    if (content instanceof LastHttpContent) {
      requestComplete = true;
    }
    if (upstream == null) {
      if (pending == null) {
        pending = new ArrayList<>(2);
      }
      pending.add(content);
      return;
    }
    Channel up = upstream.channel();
    up.write(content);
    if (!up.isWritable()) {
      // pause before flushing: a flush that drains the buffer fires the writability change (and
      // its resume) synchronously, and a pause after it would never be lifted
      ReadGate.pause(ctx.channel(), ReadGate.PEER_FULL);
      up.flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (upstream != null) {
      upstream.channel().flush();
    }
    ctx.fireChannelReadComplete();
  }

  private void resolved(Exchange mine, Resolution resolution) {
    if (ex != mine) {
      return;
    }
    if (resolution instanceof Resolution.Blocked blocked) {
      // address checks stay enforced in report mode: no rule or mode can open them (SPEC §2.4)
      Decision d = ex.decision().deny(blocked.reason(), true);
      String detail =
          target.host() instanceof Host.Ip
              ? ""
              : "it resolves to " + blocked.address().getHostAddress();
      refuse(403, d, detail);
    } else if (resolution instanceof Resolution.Unresolved unresolved) {
      refuse(502, ex.decision().deny(Reason.UPSTREAM_ERROR, true), unresolved.cause());
    } else {
      addresses = ((Resolution.Allowed) resolution).addresses();
      addressIndex = 0;
      connect(false);
    }
  }

  private void connect(boolean fresh) {
    Exchange mine = ex;
    InetSocketAddress address = addresses.get(addressIndex);
    Future<Upstream> upstreamFuture =
        context
            .pool()
            .acquire(
                ctx.channel().eventLoop(),
                address,
                tls.isPlaintext() ? "" : target.host().toString(),
                tls,
                fresh);
    if (upstreamFuture.isDone()) {
      acquired(mine, address, upstreamFuture); // a pooled connection
    } else {
      ReadGate.pause(ctx.channel(), ReadGate.CONNECTING);
      upstreamFuture.addListener(f -> acquired(mine, address, upstreamFuture));
    }
  }

  private void acquired(Exchange mine, InetSocketAddress address, Future<?> f) {
    if (ex != mine) {
      if (f.isSuccess()) {
        ((Upstream) f.getNow()).channel().close();
      }
      return;
    }
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      if (cause instanceof ConnectException
          && !(cause instanceof ConnectTimeoutException)
          && addressIndex + 1 < addresses.size()) {
        addressIndex++;
        connect(true);
        return;
      }
      Decision d = ex.decision().deny(Reason.UPSTREAM_ERROR, true);
      if (cause instanceof ConnectTimeoutException) {
        refuse(504, d, "");
      } else {
        refuse(502, d, describe(cause, address));
      }
      return;
    }
    upstream = (Upstream) f.getNow();
    upstream.bind(this);
    ex.peerAddress(address.getAddress().getHostAddress() + ":" + address.getPort());
    Channel up = upstream.channel();
    up.write(request);
    if (pending != null) {
      for (HttpContent c : pending) {
        up.write(c);
      }
      pending = null;
    }
    up.flush();
    ReadGate.resume(ctx.channel(), ReadGate.CONNECTING);
    if (!up.isWritable()) {
      ReadGate.pause(ctx.channel(), ReadGate.PEER_FULL);
    }
  }

  static String describe(Throwable cause, InetSocketAddress address) {
    String where = address.getAddress().getHostAddress() + ":" + address.getPort();
    if (cause instanceof ConnectException) {
      return "connection refused by " + where;
    }
    String m = cause == null ? null : cause.getMessage();
    if (m == null || m.isBlank()) {
      m = cause == null ? "connection failed" : cause.getClass().getSimpleName();
    }
    // the first line only, printable: it becomes part of the reason phrase
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m) + " (" + where + ")";
  }

  private void refuse(int status, Decision d, String detail) {
    Exchange e = ex;
    reset();
    ReadGate.resume(ctx.channel(), ReadGate.CONNECTING | ReadGate.PEER_FULL);
    e.refuse(ctx, status, d, detail);
  }

  // --- upstream events

  @Override
  public void upstreamRead(Upstream u, HttpObject msg) {
    if (u != upstream) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      upstreamFailed("the upstream response is malformed: " + msg.decoderResult().cause());
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
    int code = response.status().code();
    if (code < 200) {
      informational = true;
      if (code == 101) {
        if (upgrade) {
          switchProtocols(response);
        } else {
          // Upgrade was not forwarded, so a 101 is a server error
          upstreamFailed("unexpected 101 Switching Protocols");
        }
        return;
      }
      if (!clientHttp10 && code == 100) {
        ctx.writeAndFlush(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      }
      return;
    }
    responseStarted = true;
    // read before the hop-by-hop headers go: a body delimited by close ends the connection
    upstreamKeepAlive =
        HttpUtil.isKeepAlive(response) && !ResponseFraming.closeDelimited(response, headRequest);
    HopByHop.stripResponse(response.headers());
    closeClient =
        ResponseFraming.prepareForClient(response, headRequest, clientHttp10, ex.clientKeepAlive());
    ctx.write(response);
  }

  private void content(HttpContent content) {
    if (switching) {
      content.release();
      if (content instanceof LastHttpContent) {
        relayUpgraded();
      }
      return;
    }
    if (informational) {
      content.release();
      if (content instanceof LastHttpContent) {
        informational = false;
      }
      return;
    }
    if (content instanceof LastHttpContent last) {
      responseDone(last);
      return;
    }
    ctx.write(content);
    if (!ctx.channel().isWritable()) {
      // pause before flushing, as in body(): the flush may resume synchronously
      ReadGate.pause(upstream.channel(), ReadGate.PEER_FULL);
      ctx.flush();
    }
  }

  /** The upstream agreed to a WebSocket upgrade: answer 101, then relay bytes both ways. */
  private void switchProtocols(HttpResponse response) {
    informational = false;
    switching = true;
    ctx.writeAndFlush(WebSocketUpgrade.switching(response)); // ends the call (status 101)
  }

  private void relayUpgraded() {
    Upstream u = upstream;
    reset();
    u.unbind();
    WebSocketUpgrade.relay(ctx.pipeline(), u.channel().pipeline());
  }

  private void responseDone(LastHttpContent last) {
    Upstream u = upstream;
    Exchange e = ex;
    boolean reusable = upstreamKeepAlive && requestComplete;
    boolean close = closeClient || !requestComplete;
    reset();
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

  @Override
  public void upstreamReadComplete(Upstream u) {
    if (u == upstream) {
      ctx.flush();
    }
  }

  @Override
  public void upstreamWritable(Upstream u) {
    if (u == upstream) {
      ReadGate.resume(ctx.channel(), ReadGate.PEER_FULL);
    }
  }

  @Override
  public void upstreamClosed(Upstream u, Throwable cause) {
    if (u != upstream) {
      return;
    }
    if (!responseStarted && retryable && u.reused() && !retried) {
      // a pooled connection the server had already closed: try once more on a new one
      retried = true;
      upstream = null;
      informational = false;
      if (requestComplete) {
        // the request had no body: its end must be sent again on the new connection
        pending = new ArrayList<>(List.of(LastHttpContent.EMPTY_LAST_CONTENT));
      }
      connect(true);
      return;
    }
    upstreamFailed(
        cause == null
            ? "the server closed the connection without a complete response"
            : describe(cause, (InetSocketAddress) u.channel().remoteAddress()));
  }

  private void upstreamFailed(String detail) {
    Upstream u = upstream;
    if (u != null) {
      u.unbind();
      u.channel().close();
    }
    if (!responseStarted) {
      refuse(502, ex.decision().deny(Reason.UPSTREAM_ERROR, true), detail);
    } else {
      // part of the response is already out: closing is the only honest signal left
      reset();
      ctx.close();
    }
  }

  private void reset() {
    ex = null;
    target = null;
    request = null;
    if (pending != null) {
      pending.forEach(ReferenceCountUtil::release);
      pending = null;
    }
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

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (!(evt instanceof IdleStateEvent)) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    // the client idle timeout fired while a request was in progress (IdleTimeoutHandler)
    if (ex != null && !responseStarted) {
      Upstream u = upstream;
      if (u != null) {
        u.unbind();
        u.channel().close();
      }
      refuse(
          504,
          ex.decision().deny(Reason.UPSTREAM_ERROR, true),
          "no response from the upstream within limits.idle_timeout");
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null && ctx.channel().isWritable()) {
      ReadGate.resume(upstream.channel(), ReadGate.PEER_FULL);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Upstream u = upstream;
    reset();
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
    if (pending != null) {
      pending.forEach(ReferenceCountUtil::release);
      pending = null;
    }
  }
}
