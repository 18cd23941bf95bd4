package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.proxy.http.HopByHop;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.reload.ActivePolicy;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a connection's HTTP exchanges one at a time, in order (HTTP/1.1 pipelining, RFC 9112 §9.3):
 * a request's head begins an {@link Exchange} and its call; requests that arrive while one is in
 * progress wait in a bounded queue (reads pause meanwhile); the exchange ends when both its request
 * has been read and its final response written. So every stage after this one sees one request at a
 * time, and every request gets its own decision. Sits right after the HTTP codec.
 */
public final class ExchangeSequencer extends ChannelDuplexHandler {
  /**
   * Requests queued behind the current one; past this the connection closes after the queue. Reads
   * pause while anything is queued, so the queue only ever holds what one read decoded (at most 64
   * KiB of requests); the cap bounds the objects made from it.
   */
  static final int MAX_QUEUED_REQUESTS = 1024;

  private final ProxyContext context;
  private final CallKind kind;
  private final Optional<CallHandle> parent;
  private final TlsMode tls;
  private final String fixedAgent;

  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int queuedRequests;
  private boolean overflow;
  private String clientAddress = "";
  private InetAddress clientInet;

  private Exchange current;
  private boolean requestDone;
  private boolean responseDone;
  private boolean informational;
  private boolean closed;

  /**
   * @param kind {@code HTTP} for the forward proxy and plain HTTP in tunnels, {@code INTERCEPTED}
   *     behind an interception stage
   * @param parent the tunnel's call for requests inside a tunnel
   * @param fixedAgent the tunnel's agent for requests inside a tunnel (no proxy auth there), or
   *     null
   */
  public ExchangeSequencer(
      ProxyContext context,
      CallKind kind,
      Optional<CallHandle> parent,
      TlsMode tls,
      String fixedAgent) {
    this.context = context;
    this.kind = kind;
    this.parent = parent;
    this.tls = tls;
    this.fixedAgent = fixedAgent;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    SocketAddress remote = ctx.channel().remoteAddress();
    if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
      clientInet = isa.getAddress();
      clientAddress = clientInet.getHostAddress();
    } else {
      clientInet = InetAddress.getLoopbackAddress();
      clientAddress = String.valueOf(remote);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (closed) {
      ReferenceCountUtil.release(msg); // decoded after the connection was done
      return;
    }
    if (!queue.isEmpty() || (current != null && requestDone)) {
      enqueue(ctx, msg);
      return;
    }
    dispatch(ctx, msg);
  }

  private void enqueue(ChannelHandlerContext ctx, Object msg) {
    if (overflow) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest && ++queuedRequests > MAX_QUEUED_REQUESTS) {
      overflow = true;
      ReferenceCountUtil.release(msg);
      return;
    }
    queue.add(msg);
    ReadGate.pause(ctx.channel(), ReadGate.PIPELINE);
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      current = begin(ctx, request);
      requestDone = false;
      responseDone = false;
      informational = false;
      Exchange.setCurrent(ctx.channel(), current);
    } else if (current == null) {
      // content of an exchange that already ended (its connection is closing)
      ReferenceCountUtil.release(msg);
      return;
    }
    Exchange ex = current;
    boolean last = msg instanceof LastHttpContent;
    if (msg instanceof HttpContent content) {
      ex.bytesIn += content.content().readableBytes();
    }
    if (last) {
      requestDone = true;
    }
    if (ex.answered() && !(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
    if (last && responseDone && current == ex) {
      finish(ctx);
    }
  }

  private Exchange begin(ChannelHandlerContext ctx, HttpRequest request) {
    HttpHeaders h = request.headers();
    Map<String, String> propagation = Map.of();
    String traceparent = h.get("traceparent");
    if (traceparent != null) {
      String tracestate = h.get("tracestate");
      propagation =
          tracestate == null
              ? Map.of("traceparent", traceparent)
              : Map.of("traceparent", traceparent, "tracestate", tracestate);
    }
    String requestId = context.newRequestId();
    CallKind k = request.method().name().equals("CONNECT") ? CallKind.TUNNEL : kind;
    CallHandle call =
        context
            .observer()
            .begin(
                new CallStart(
                    requestId,
                    Instant.now(context.clock()),
                    k,
                    parent,
                    propagation,
                    clientAddress));
    context.callBegun();
    ActivePolicy policy = context.policy().current();
    boolean body = HttpUtil.isTransferEncodingChunked(request) || announcesBody(h);
    boolean keepAlive =
        request.decoderResult().isSuccess()
            && HttpUtil.isKeepAlive(request)
            && !h.containsValue(HopByHop.PROXY_CONNECTION, "close", true);
    return new Exchange(
        context,
        requestId,
        call,
        policy,
        request.method().name(),
        clientAddress,
        clientInet,
        keepAlive,
        body,
        k == CallKind.TUNNEL ? TlsMode.TUNNEL : tls,
        fixedAgent);
  }

  /**
   * A Content-Length above 0, or one that is not a plain number ({@code 4, 5}, {@code +4}): the
   * guard refuses those, and until then a body must be assumed. {@code HttpUtil.getContentLength}
   * would throw here and the client would get no 400.
   */
  private static boolean announcesBody(HttpHeaders h) {
    String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
    if (cl == null) {
      return false;
    }
    try {
      return Long.parseLong(cl.trim()) > 0;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    Exchange ex = current;
    if (ex == null) {
      ctx.write(msg, promise);
      return;
    }
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      informational = code < 200 && code != 101;
      if (!informational) {
        ex.status(code);
      }
    }
    if (msg instanceof HttpContent content) {
      ex.bytesOut += content.content().readableBytes();
    }
    ctx.write(msg, promise);
    if (msg instanceof LastHttpContent && !informational) {
      responseDone = true;
      if (requestDone && current == ex) {
        finish(ctx);
      }
    }
  }

  private void finish(ChannelHandlerContext ctx) {
    Exchange ex = current;
    current = null;
    Exchange.setCurrent(ctx.channel(), null);
    if (!ex.handedOff()) {
      ex.end();
    }
    if (ex.closesConnection()) {
      closed = true;
      releaseQueue();
      return; // the stage that answered closes the connection once the response is out
    }
    if (context.draining()) {
      ctx.channel().close();
      return;
    }
    if (!queue.isEmpty() || overflow) {
      // later, not inside the write that ended the exchange: the stages finish their bookkeeping
      ctx.executor().execute(() -> drain(ctx));
    }
  }

  private void drain(ChannelHandlerContext ctx) {
    while (!queue.isEmpty() && !(current != null && requestDone) && ctx.channel().isActive()) {
      Object msg = queue.poll();
      if (msg instanceof HttpRequest) {
        queuedRequests--;
      }
      dispatch(ctx, msg);
    }
    if (queue.isEmpty()) {
      if (overflow && current == null) {
        ctx.channel().close();
        return;
      }
      if (!overflow) {
        ReadGate.resume(ctx.channel(), ReadGate.PIPELINE);
      }
    }
  }

  /** True while an exchange is in progress (shutdown closes idle connections at once). */
  public boolean busy() {
    return current != null || !queue.isEmpty();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    Exchange ex = current;
    current = null;
    if (ex != null && !ex.handedOff()) {
      ex.end();
    }
    releaseQueue();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseQueue();
  }

  private void releaseQueue() {
    Object msg;
    while ((msg = queue.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    queuedRequests = 0;
  }
}
