package dev.gatehouse.proxy.admin;

import static dev.gatehouse.proxy.admin.AdminReplies.response;
import static dev.gatehouse.proxy.admin.AdminReplies.send;
import static dev.gatehouse.proxy.admin.AdminReplies.write;

import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.reload.ModeSwitch;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyReloader;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The admin API (SPEC §6, first part): {@code GET /healthz} is open; {@code GET /metrics}, {@code
 * GET /v1/policy}, {@code POST /v1/policy/reload}, {@code GET /v1/decisions?blocked=true&limit=N}
 * and {@code GET|POST /v1/mode} need {@code Authorization: Bearer <token>} with the token from
 * {@code admin.token_env}, compared in constant time. With no token configured, everything but
 * {@code /healthz} is refused.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final byte[] tokenDigest;
  private final String tokenEnv;
  private final MetricsRegistry metrics;
  private final PolicyEndpoints policies;
  private final RecentDecisions recent;

  AdminHandler(
      String token,
      String tokenEnv,
      MetricsRegistry metrics,
      PolicyHolder policy,
      PolicyReloader reloader,
      ModeSwitch modes,
      RecentDecisions recent) {
    this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
    this.tokenEnv = tokenEnv;
    this.metrics = metrics;
    this.policies = new PolicyEndpoints(policy, reloader, modes);
    this.recent = recent;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      send(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n", false);
      return;
    }
    String path = req.uri();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    HttpMethod method = req.method();
    if (path.equals("/healthz")) {
      if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
        send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "use GET\n", keepAlive);
      } else {
        send(ctx, HttpResponseStatus.OK, "text/plain", "ok\n", keepAlive);
      }
      return;
    }
    if (tokenDigest == null) {
      send(
          ctx,
          HttpResponseStatus.FORBIDDEN,
          "text/plain",
          "the admin API is disabled: set the environment variable "
              + tokenEnv
              + " (admin.token_env) and restart\n",
          keepAlive);
      return;
    }
    if (!authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      FullHttpResponse res =
          response(HttpResponseStatus.UNAUTHORIZED, "text/plain", "bearer token required\n");
      res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gatehouse-admin\"");
      write(ctx, res, keepAlive);
      return;
    }
    switch (path) {
      case "/metrics" -> {
        if (requireMethod(ctx, method, HttpMethod.GET, keepAlive)) {
          send(
              ctx,
              HttpResponseStatus.OK,
              "text/plain; version=0.0.4; charset=utf-8",
              metrics.scrape(),
              keepAlive);
        }
      }
      case "/v1/policy" -> {
        if (requireMethod(ctx, method, HttpMethod.GET, keepAlive)) {
          policies.describe(ctx, keepAlive);
        }
      }
      case "/v1/policy/reload" -> {
        if (requireMethod(ctx, method, HttpMethod.POST, keepAlive)) {
          policies.reload(ctx, keepAlive);
        }
      }
      case "/v1/mode" -> {
        if (method.equals(HttpMethod.GET)) {
          policies.mode(ctx, keepAlive);
        } else if (requireMethod(ctx, method, HttpMethod.POST, keepAlive)) {
          policies.switchMode(ctx, req.content().toString(StandardCharsets.UTF_8), keepAlive);
        }
      }
      case "/v1/decisions" -> {
        if (requireMethod(ctx, method, HttpMethod.GET, keepAlive)) {
          decisions(ctx, req.uri(), keepAlive);
        }
      }
      default -> send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n", keepAlive);
    }
  }

  /** {@code ?blocked=true|false&limit=1..1024} (default: all decisions, 100). */
  private void decisions(ChannelHandlerContext ctx, String uri, boolean keepAlive) {
    QueryStringDecoder query = new QueryStringDecoder(uri);
    String blocked = first(query, "blocked", "false");
    String limit = first(query, "limit", "100");
    int n;
    try {
      n = Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (!blocked.equals("true") && !blocked.equals("false")
        || n < 1
        || n > RecentDecisions.CAPACITY) {
      send(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "text/plain",
          "use blocked=true|false and limit=1.." + RecentDecisions.CAPACITY + "\n",
          keepAlive);
      return;
    }
    send(
        ctx,
        HttpResponseStatus.OK,
        "application/json",
        recent.json(n, blocked.equals("true")),
        keepAlive);
  }

  private static String first(QueryStringDecoder query, String name, String absent) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? absent : values.get(0);
  }

  private boolean authorized(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(sha256(header.substring(7).trim()), tokenDigest);
  }

  private boolean requireMethod(
      ChannelHandlerContext ctx, HttpMethod method, HttpMethod wanted, boolean keepAlive) {
    if (method.equals(wanted)) {
      return true;
    }
    send(
        ctx,
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        "text/plain",
        "use " + wanted + "\n",
        keepAlive);
    return false;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
