package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.deny.Refusal;
import dev.gatehouse.proxy.deny.Refusals;
import dev.gatehouse.proxy.http.RequestTarget;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.reload.ActivePolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * One request (or one tunnel) from the moment its head is read until its call ends: what the
 * pipeline stages learn about it, in one place, and the call it reports to. Created by {@link
 * ExchangeSequencer}, which runs exchanges on a connection one at a time, so the stages find the
 * current one with {@link #current(Channel)}. Event-loop confined.
 */
public final class Exchange {
  private static final AttributeKey<Exchange> KEY = AttributeKey.valueOf("gatehouse.exchange");

  private final ProxyContext context;
  private final String requestId;
  private final CallHandle call;
  private final ActivePolicy policy;
  private final String method;
  private final String clientAddress;
  private final InetAddress clientInet;
  private final boolean clientKeepAlive;
  private final boolean bodyExpected;
  private TlsMode tls;

  private String agent;
  private Decision decision;
  private String urlFull = "";
  private String host = "";
  private int port;
  private String peerAddress;
  private RequestTarget target;
  private int status;
  long bytesIn;
  long bytesOut;
  private boolean answered;
  private boolean closeAfter;
  private boolean handedOff;
  private boolean ended;

  Exchange(
      ProxyContext context,
      String requestId,
      CallHandle call,
      ActivePolicy policy,
      String method,
      String clientAddress,
      InetAddress clientInet,
      boolean clientKeepAlive,
      boolean bodyExpected,
      TlsMode tls,
      String agent) {
    this.context = context;
    this.requestId = requestId;
    this.call = call;
    this.policy = policy;
    this.method = method;
    this.clientAddress = clientAddress;
    this.clientInet = clientInet;
    this.clientKeepAlive = clientKeepAlive;
    this.bodyExpected = bodyExpected;
    this.tls = tls;
    this.agent = agent;
  }

  /** The exchange in progress on {@code channel}, or null between exchanges. */
  public static Exchange current(Channel channel) {
    return channel.attr(KEY).get();
  }

  static void setCurrent(Channel channel, Exchange exchange) {
    channel.attr(KEY).set(exchange);
  }

  public ProxyContext context() {
    return context;
  }

  public String requestId() {
    return requestId;
  }

  public CallHandle call() {
    return call;
  }

  /** The policy this exchange is decided under (the one in force when its head was read). */
  public ActivePolicy policy() {
    return policy;
  }

  public String method() {
    return method;
  }

  public boolean isConnect() {
    return "CONNECT".equals(method);
  }

  public String clientAddress() {
    return clientAddress;
  }

  public InetAddress clientInet() {
    return clientInet;
  }

  /** The client's keep-alive choice, read before any header was removed. */
  public boolean clientKeepAlive() {
    return clientKeepAlive && !context.draining();
  }

  /** The request announced a body (Content-Length above 0, or chunked). */
  public boolean bodyExpected() {
    return bodyExpected;
  }

  public TlsMode tls() {
    return tls;
  }

  /** A tunnel that turns out to be intercepted reports {@link TlsMode#INTERCEPT}. */
  public void tls(TlsMode mode) {
    this.tls = java.util.Objects.requireNonNull(mode, "mode");
  }

  /** The identified agent, or null before identification. */
  public String agent() {
    return agent;
  }

  public void agent(String agent) {
    this.agent = agent;
  }

  public Decision decision() {
    return decision;
  }

  public void decision(Decision decision) {
    this.decision = decision;
  }

  public void target(String urlFull, String host, int port) {
    this.urlFull = urlFull;
    this.host = host;
    this.port = port;
  }

  /** The parsed request target, once the policy stage has read it. */
  public RequestTarget requestTarget() {
    return target;
  }

  public void requestTarget(RequestTarget target) {
    this.target = target;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public void peerAddress(String peer) {
    this.peerAddress = peer;
  }

  public void status(int status) {
    this.status = status;
  }

  public void addBytesIn(long n) {
    bytesIn += n;
  }

  public void addBytesOut(long n) {
    bytesOut += n;
  }

  /** True once the proxy answered the request itself: the rest of its body is dropped. */
  public boolean answered() {
    return answered;
  }

  /** The call now belongs to a tunnel, which ends it when the tunnel closes. */
  public void handOff() {
    handedOff = true;
  }

  public boolean handedOff() {
    return handedOff;
  }

  /** A decision for requests refused before the policy was consulted (400, 407, 503). */
  public Decision refusedDecision(Reason reason) {
    return new Decision(
        Action.DENY,
        reason,
        Decision.DEFAULT_RULE,
        agent == null ? "anonymous" : agent,
        policy.engine().version(),
        true,
        false);
  }

  /**
   * Answers the request with a refusal, closing the connection afterwards when the client asked for
   * that or a request body is still on its way (it would otherwise be read as the next request).
   */
  public void refuse(ChannelHandlerContext ctx, int statusCode, Decision d, String detail) {
    refuse(ctx, statusCode, d, detail, false);
  }

  /** As {@link #refuse(ChannelHandlerContext, int, Decision, String)}, always closing. */
  public void refuseAndClose(ChannelHandlerContext ctx, int statusCode, Decision d, String detail) {
    refuse(ctx, statusCode, d, detail, true);
  }

  private void refuse(
      ChannelHandlerContext ctx, int statusCode, Decision d, String detail, boolean close) {
    decision = d;
    answered = true;
    Refusal r = new Refusal(statusCode, d, method, host, port, requestId, detail);
    // after a CONNECT the decoder has stopped: the connection cannot carry another request
    boolean keepAlive = !close && !isConnect() && clientKeepAlive() && !bodyExpected;
    if (!keepAlive) {
      closeAfter = true;
    }
    ctx.writeAndFlush(Refusals.render(r, ctx.alloc(), keepAlive))
        .addListener(
            keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
  }

  /** The connection closes after this exchange: nothing queued behind it is served. */
  public void closeAfter() {
    closeAfter = true;
  }

  public boolean closesConnection() {
    return closeAfter;
  }

  /** Ends the call: exactly once, whatever path the exchange took. */
  public void end() {
    if (ended) {
      return;
    }
    ended = true;
    context.callEnded();
    Decision d = decision != null ? decision : refusedDecision(Reason.BAD_REQUEST);
    call.end(
        new CallEnd(
            d,
            method,
            urlFull,
            host,
            port,
            Optional.ofNullable(peerAddress),
            status,
            tls,
            bytesIn,
            bytesOut,
            Optional.empty(),
            Instant.now(context.clock())));
  }

  public boolean ended() {
    return ended;
  }
}
