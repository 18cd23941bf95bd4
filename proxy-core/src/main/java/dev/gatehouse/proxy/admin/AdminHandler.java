package dev.gatehouse.proxy.admin;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.reload.ModeSwitch;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyReloader;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  private final PolicyHolder policy;
  private final PolicyReloader reloader;
  private final ModeSwitch modes;
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
    this.policy = policy;
    this.reloader = reloader;
    this.modes = modes;
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
          send(ctx, HttpResponseStatus.OK, "application/json", policyJson(), keepAlive);
        }
      }
      case "/v1/policy/reload" -> {
        if (requireMethod(ctx, method, HttpMethod.POST, keepAlive)) {
          reload(ctx, keepAlive);
        }
      }
      case "/v1/mode" -> {
        if (method.equals(HttpMethod.GET)) {
          send(
              ctx, HttpResponseStatus.OK, "application/json", modeJson(modes.current()), keepAlive);
        } else if (requireMethod(ctx, method, HttpMethod.POST, keepAlive)) {
          switchMode(ctx, req.content().toString(StandardCharsets.UTF_8), keepAlive);
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

  private static final Pattern MODE_BODY =
      Pattern.compile("\\s*\\{\\s*\"mode\"\\s*:\\s*\"(enforce|report|policy)\"\\s*}\\s*");

  /**
   * {@code {"mode":"enforce"|"report"}} overrides {@code defaults.mode} until {@code
   * {"mode":"policy"}} returns to the policy's own; compiled off the event loop.
   */
  private void switchMode(ChannelHandlerContext ctx, String body, boolean keepAlive) {
    Matcher m = MODE_BODY.matcher(body);
    if (!m.matches()) {
      send(
          ctx,
          HttpResponseStatus.BAD_REQUEST,
          "text/plain",
          "send {\"mode\":\"enforce\"}, {\"mode\":\"report\"} or {\"mode\":\"policy\"}\n",
          keepAlive);
      return;
    }
    Optional<Mode> mode =
        m.group(1).equals("policy")
            ? Optional.empty()
            : Optional.of(Mode.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)));
    CompletableFuture.supplyAsync(
            () -> {
              try {
                return modes.switchTo(mode);
              } catch (ConfigException e) {
                throw new CompletionException(e);
              }
            })
        .whenComplete(
            (r, e) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (e != null) {
                            send(
                                ctx,
                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "text/plain",
                                "mode switch failed: " + e.getMessage() + "\n",
                                keepAlive);
                          } else {
                            send(
                                ctx,
                                HttpResponseStatus.OK,
                                "application/json",
                                modeJson(r),
                                keepAlive);
                          }
                        }));
  }

  private static String modeJson(ModeSwitch.Result r) {
    return "{\"mode\":"
        + json(r.newMode().wireName())
        + ",\"source\":"
        + json(r.overridden() ? "admin" : "policy")
        + ",\"previous_mode\":"
        + json(r.oldMode().wireName())
        + ",\"policy_version\":"
        + json(r.policyVersion())
        + "}\n";
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

  private String policyJson() {
    PolicyEngine engine = policy.current().engine();
    int rules = engine.model().rules().size();
    for (AgentModel a : engine.model().agents()) {
      rules += a.rules().size();
    }
    return "{\"version\":"
        + json(engine.version())
        + ",\"source\":"
        + json(engine.model().source())
        + ",\"rules\":"
        + rules
        + ",\"agents\":"
        + engine.model().agents().size()
        + ",\"mode\":"
        + json(engine.model().defaults().mode().wireName())
        + "}\n";
  }

  private void reload(ChannelHandlerContext ctx, boolean keepAlive) {
    if (reloader == null) {
      send(
          ctx,
          HttpResponseStatus.CONFLICT,
          "application/json",
          "{\"result\":\"failed\",\"errors\":[\"the policy does not come from a file\"]}\n",
          keepAlive);
      return;
    }
    reloader
        .reloadNow()
        .whenComplete(
            (r, e) ->
                ctx.executor()
                    .execute(
                        () -> {
                          if (e != null) {
                            send(
                                ctx,
                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "text/plain",
                                "reload failed: " + e + "\n",
                                keepAlive);
                            return;
                          }
                          StringBuilder b = new StringBuilder("{\"result\":");
                          b.append(json(r.outcome().name().toLowerCase(java.util.Locale.ROOT)));
                          b.append(",\"old_version\":").append(json(r.oldVersion()));
                          b.append(",\"new_version\":").append(json(r.newVersion()));
                          b.append(",\"rules_added\":").append(jsonList(r.diff().added()));
                          b.append(",\"rules_removed\":").append(jsonList(r.diff().removed()));
                          b.append(",\"rules_changed\":").append(jsonList(r.diff().changed()));
                          b.append(",\"errors\":").append(jsonList(r.errors())).append("}\n");
                          send(
                              ctx,
                              r.outcome() == PolicyReloader.Outcome.FAILED
                                  ? HttpResponseStatus.UNPROCESSABLE_ENTITY
                                  : HttpResponseStatus.OK,
                              "application/json",
                              b.toString(),
                              keepAlive);
                        }));
  }

  private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return res;
  }

  private static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      String type,
      String body,
      boolean keepAlive) {
    write(ctx, response(status, type, body), keepAlive);
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  private static String jsonList(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(json(items.get(i)));
    }
    return b.append(']').toString();
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
