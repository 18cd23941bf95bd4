package dev.gatehouse.proxy.admin;

import static dev.gatehouse.proxy.admin.AdminReplies.json;
import static dev.gatehouse.proxy.admin.AdminReplies.jsonList;
import static dev.gatehouse.proxy.admin.AdminReplies.send;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.reload.ModeSwitch;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyReloader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's policy endpoints: {@code GET /v1/policy}, {@code POST /v1/policy/reload} and
 * {@code GET|POST /v1/mode}. Reloads and mode switches compile, so they run off the event loop and
 * answer on it when done.
 */
final class PolicyEndpoints {
  private final PolicyHolder policy;
  private final PolicyReloader reloader; // null: the policy does not come from a file
  private final ModeSwitch modes;

  PolicyEndpoints(PolicyHolder policy, PolicyReloader reloader, ModeSwitch modes) {
    this.policy = policy;
    this.reloader = reloader;
    this.modes = modes;
  }

  /** {@code GET /v1/policy}: version, source, rule and agent counts, mode. */
  void describe(ChannelHandlerContext ctx, boolean keepAlive) {
    send(ctx, HttpResponseStatus.OK, "application/json", policyJson(), keepAlive);
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

  /** {@code POST /v1/policy/reload}: 200, or 422 with the located errors, 409 with no file. */
  void reload(ChannelHandlerContext ctx, boolean keepAlive) {
    if (reloader == null) {
      send(
          ctx,
          HttpResponseStatus.CONFLICT,
          "application/json",
          "{\"result\":\"failed\",\"errors\":[\"the policy does not come from a file\"]}\n",
          keepAlive);
      return;
    }
    replyWhenDone(
        ctx,
        reloader.reloadNow(),
        e -> "reload failed: " + e + "\n",
        r ->
            send(
                ctx,
                r.outcome() == PolicyReloader.Outcome.FAILED
                    ? HttpResponseStatus.UNPROCESSABLE_ENTITY
                    : HttpResponseStatus.OK,
                "application/json",
                reloadJson(r),
                keepAlive),
        keepAlive);
  }

  private static String reloadJson(PolicyReloader.Result r) {
    StringBuilder b = new StringBuilder("{\"result\":");
    b.append(json(r.outcome().name().toLowerCase(java.util.Locale.ROOT)));
    b.append(",\"old_version\":").append(json(r.oldVersion()));
    b.append(",\"new_version\":").append(json(r.newVersion()));
    b.append(",\"rules_added\":").append(jsonList(r.diff().added()));
    b.append(",\"rules_removed\":").append(jsonList(r.diff().removed()));
    b.append(",\"rules_changed\":").append(jsonList(r.diff().changed()));
    b.append(",\"errors\":").append(jsonList(r.errors())).append("}\n");
    return b.toString();
  }

  /**
   * When {@code work} (running off the event loop) completes, back on {@code ctx}'s event loop:
   * {@code reply} with its result, or 500 with {@code failure}'s text.
   */
  private static <T> void replyWhenDone(
      ChannelHandlerContext ctx,
      CompletableFuture<T> work,
      Function<Throwable, String> failure,
      Consumer<T> reply,
      boolean keepAlive) {
    work.whenComplete(
        (r, e) ->
            ctx.executor()
                .execute(
                    () -> {
                      if (e != null) {
                        send(
                            ctx,
                            HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "text/plain",
                            failure.apply(e),
                            keepAlive);
                      } else {
                        reply.accept(r);
                      }
                    }));
  }

  private static final Pattern MODE_BODY =
      Pattern.compile("\\s*\\{\\s*\"mode\"\\s*:\\s*\"(enforce|report|policy)\"\\s*}\\s*");

  /**
   * {@code {"mode":"enforce"|"report"}} overrides {@code defaults.mode} until {@code
   * {"mode":"policy"}} returns to the policy's own; compiled off the event loop.
   */
  void switchMode(ChannelHandlerContext ctx, String body, boolean keepAlive) {
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
    CompletableFuture<ModeSwitch.Result> switched =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return modes.switchTo(mode);
              } catch (ConfigException e) {
                throw new CompletionException(e);
              }
            });
    replyWhenDone(
        ctx,
        switched,
        e -> "mode switch failed: " + e.getMessage() + "\n",
        r -> send(ctx, HttpResponseStatus.OK, "application/json", modeJson(r), keepAlive),
        keepAlive);
  }

  /** {@code GET /v1/mode}: the mode in force and whether the admin API chose it. */
  void mode(ChannelHandlerContext ctx, boolean keepAlive) {
    send(ctx, HttpResponseStatus.OK, "application/json", modeJson(modes.current()), keepAlive);
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
}
