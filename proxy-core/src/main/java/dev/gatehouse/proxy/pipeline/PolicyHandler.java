package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.Request;
import dev.gatehouse.proxy.http.RequestTarget;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Decides every request (STYLE habit 3): reads the request target (absolute URI, CONNECT authority,
 * or origin form inside a tunnel), checks the {@code Host} header against it, builds a {@link
 * Request}, calls {@code engine.decide} and answers 403 when the decision is a block that is
 * enforced. Allowed requests (and report-mode blocks) go on to the CONNECT or forward stage with
 * the decision and the target on their {@link Exchange}. No DNS here: a denied name is never
 * resolved.
 */
public final class PolicyHandler extends ChannelInboundHandlerAdapter {
  private final Host tunnelHost;
  private final int tunnelPort;
  private final String scheme;
  private final int defaultPort;

  /** The forward proxy's policy stage: absolute-form requests and CONNECT. */
  public static PolicyHandler forward() {
    return new PolicyHandler(null, 0, "http", 80);
  }

  /**
   * The policy stage for requests inside a tunnel to {@code host:port}: origin form, and a {@code
   * Host} that must name the tunnel's host.
   *
   * @param scheme {@code http} for plain HTTP in a tunnel, {@code https} behind interception
   */
  public static PolicyHandler inTunnel(Host host, int port, String scheme) {
    // url.full names the port unless it is the scheme's own (https://h:8443/..., https://h/...)
    return new PolicyHandler(host, port, scheme, "https".equals(scheme) ? 443 : 80);
  }

  private PolicyHandler(Host tunnelHost, int tunnelPort, String scheme, int defaultPort) {
    this.tunnelHost = tunnelHost;
    this.tunnelPort = tunnelPort;
    this.scheme = scheme;
    this.defaultPort = defaultPort;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Exchange ex = Exchange.current(ctx.channel());
    boolean connect = HttpMethod.CONNECT.equals(request.method());
    RequestTarget target;
    try {
      target = parse(request, connect);
    } catch (RequestTarget.BadTargetException e) {
      ReferenceCountUtil.release(msg);
      ex.refuseAndClose(ctx, 400, ex.refusedDecision(Reason.BAD_REQUEST), e.getMessage());
      return;
    }
    String url = connect ? target.authority() : target.urlWithoutQuery(scheme, defaultPort);
    ex.target(url, target.host().toString(), target.port());
    ex.requestTarget(target);
    String agent = ex.agent() == null ? "anonymous" : ex.agent();
    Request r =
        connect
            ? Request.connect(agent, target.host(), target.port())
            : new Request(
                agent, request.method().name(), target.host(), target.port(), target.path());
    Decision decision = ex.policy().engine().decide(r);
    ex.decision(decision);
    if (!decision.proceeds()) {
      ReferenceCountUtil.release(msg);
      ex.refuse(ctx, 403, decision, "");
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private RequestTarget parse(HttpRequest request, boolean connect)
      throws RequestTarget.BadTargetException {
    String uri = request.uri();
    String hostHeader = request.headers().get(HttpHeaderNames.HOST);
    if (tunnelHost == null) {
      RequestTarget t = connect ? RequestTarget.connect(uri) : RequestTarget.absolute(uri);
      if (hostHeader != null) {
        t.checkHostHeader(hostHeader, connect ? t.port() : 80);
      }
      return t;
    }
    if (connect) {
      throw new RequestTarget.BadTargetException("CONNECT inside a tunnel is not served");
    }
    RequestTarget t = RequestTarget.inTunnel(uri, tunnelHost, tunnelPort);
    if (hostHeader == null) {
      if (request.protocolVersion().minorVersion() >= 1) {
        throw new RequestTarget.BadTargetException("an HTTP/1.1 request needs a Host header");
      }
    } else {
      t.checkHostHeader(hostHeader, tunnelPort);
    }
    return t;
  }
}
