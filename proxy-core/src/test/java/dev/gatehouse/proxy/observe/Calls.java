package dev.gatehouse.proxy.observe;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Test fixture: calls as the pipeline reports them, with fixed times. */
public final class Calls {
  public static final Instant T0 = Instant.parse("2026-11-27T01:02:03.004Z");
  public static final String POLICY_VERSION = "3f2a9c1d0b7e";

  private Calls() {}

  public static Decision decision(Action action, Reason reason, String rule, String agent) {
    return new Decision(action, reason, rule, agent, POLICY_VERSION, true, false);
  }

  public static CallStart start(String requestId, CallKind kind) {
    return new CallStart(requestId, T0, kind, Optional.empty(), Map.of(), "127.0.0.1");
  }

  public static CallStart start(String requestId, CallKind kind, Map<String, String> propagation) {
    return new CallStart(requestId, T0, kind, Optional.empty(), propagation, "127.0.0.1");
  }

  public static CallStart child(String requestId, CallHandle parent) {
    return new CallStart(
        requestId, T0, CallKind.INTERCEPTED, Optional.of(parent), Map.of(), "127.0.0.1");
  }

  /** A plain-HTTP GET allowed by rule {@code pypi}, 200, 12 bytes in and 3456 out, 25 ms. */
  public static CallEnd allowedGet() {
    return new CallEnd(
        decision(Action.ALLOW, Reason.RULE_ALLOW, "pypi", "ci"),
        "GET",
        "http://pypi.org/simple/requests/",
        "pypi.org",
        80,
        Optional.of("127.0.0.1"),
        200,
        TlsMode.NONE,
        12,
        3456,
        Optional.empty(),
        T0.plusMillis(25));
  }

  /** A CONNECT to github.com:443 allowed by rule {@code github}: 200, tunnelled as {@code tls}. */
  public static CallEnd allowedConnect(TlsMode tls) {
    return end(
        decision(Action.ALLOW, Reason.RULE_ALLOW, "github", "ci"),
        "CONNECT",
        "github.com:443",
        "github.com",
        443,
        200,
        tls,
        Optional.empty());
  }

  /** A GET denied by default: 403, no upstream. */
  public static CallEnd deniedGet(String host) {
    return new CallEnd(
        decision(Action.DENY, Reason.DEFAULT_DENY, Decision.DEFAULT_RULE, "ci"),
        "GET",
        "http://" + host + "/",
        host,
        80,
        Optional.empty(),
        403,
        TlsMode.NONE,
        0,
        180,
        Optional.empty(),
        T0.plusMillis(1));
  }

  public static CallEnd end(
      Decision decision,
      String method,
      String url,
      String host,
      int port,
      int status,
      TlsMode tls,
      Optional<String> approvalId) {
    return new CallEnd(
        decision,
        method,
        url,
        host,
        port,
        decision.action() == Action.ALLOW ? Optional.of("127.0.0.1") : Optional.empty(),
        status,
        tls,
        10,
        20,
        approvalId,
        T0.plusMillis(5));
  }
}
