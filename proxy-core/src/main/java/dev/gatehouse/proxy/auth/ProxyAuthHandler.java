package dev.gatehouse.proxy.auth;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Identifies the agent behind each request (SPEC §2 {@code agents:}, §3): {@code
 * Proxy-Authorization: Basic agent:token}, or the client address for agents known by {@code
 * source_cidrs} alone, or {@code anonymous}. Refuses with 407 and {@code Proxy-Authenticate}. The
 * {@code Proxy-Authorization} header is removed here, so no later stage can log or forward it. Also
 * holds the connection's slot under {@code limits.max_connections_per_agent}.
 */
public final class ProxyAuthHandler extends ChannelInboundHandlerAdapter {
  private String lastCredentials;
  private AgentDirectory lastDirectory;
  private AgentDirectory.Identified lastIdentity;
  private String countedAgent;
  private final ProxyContext context;

  public ProxyAuthHandler(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Exchange ex = Exchange.current(ctx.channel());
    String credentials = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION);
    AgentDirectory directory = ex.policy().agents();
    AgentDirectory.Identity identity;
    if (credentials != null && directory == lastDirectory && credentials.equals(lastCredentials)) {
      // the same client sending the same credentials again on this connection
      identity = lastIdentity;
    } else {
      identity = directory.identify(credentials, ex.clientInet());
      if (credentials != null && identity instanceof AgentDirectory.Identified id) {
        lastCredentials = credentials;
        lastDirectory = directory;
        lastIdentity = id;
      }
    }
    if (identity instanceof AgentDirectory.Refused refused) {
      ReferenceCountUtil.release(msg);
      ex.agent(refused.claimed());
      ex.refuse(ctx, 407, decision(ex, refused.reason()), refused.detail());
      return;
    }
    String agent = ((AgentDirectory.Identified) identity).agent();
    ex.agent(agent);
    if (countedAgent == null) {
      if (!context.agentConnections().tryAcquire(agent)) {
        ReferenceCountUtil.release(msg);
        context.metrics().rejectedConnection("agent");
        ex.refuseAndClose(
            ctx,
            503,
            ex.refusedDecision(Reason.BAD_REQUEST),
            "agent "
                + agent
                + " already has "
                + context.agentConnections().max()
                + " connections open (limits.max_connections_per_agent)");
        return;
      }
      countedAgent = agent;
    }
    ctx.fireChannelRead(msg);
  }

  private static Decision decision(Exchange ex, Reason reason) {
    return new Decision(
        Action.DENY,
        reason,
        Decision.DEFAULT_RULE,
        ex.agent(),
        ex.policy().engine().version(),
        true,
        false);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseSlot();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // a tunnel replaces the HTTP stages: the slot stays held until the channel closes
    if (countedAgent != null && ctx.channel().isActive()) {
      ctx.channel().closeFuture().addListener(f -> releaseSlot());
    } else {
      releaseSlot();
    }
  }

  private void releaseSlot() {
    if (countedAgent != null) {
      context.agentConnections().release(countedAgent);
      countedAgent = null;
    }
  }
}
