package dev.gatehouse.cli.command;

import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether a policy needs TLS interception that the server cannot do (SPEC §3). */
final class InterceptionCheck {
  private InterceptionCheck() {}

  /**
   * The error to print when the policy (or {@code tls.intercept: always}) needs interception and
   * there is no CA; empty when serving is fine. With {@code intercept: never} such hosts are
   * refused with 403 by choice, so that is not an error.
   *
   * @param configArg {@code " --config FILE"} for the hint, or empty
   */
  static Optional<String> missingCa(
      PolicyEngine engine, ServerConfig.Tls tls, TunnelInterceptor interceptor, String configArg) {
    if (interceptor.available() || tls.intercept() == ServerConfig.InterceptMode.NEVER) {
      return Optional.empty();
    }
    String why;
    if (tls.intercept() == ServerConfig.InterceptMode.ALWAYS) {
      why = "tls.intercept is always";
    } else if (engine.needsInterception()) {
      why =
          firstInspectingRule(engine)
              .map(
                  r ->
                      "rule "
                          + r.id().value()
                          + " ("
                          + r.location()
                          + ") names methods or paths, which needs TLS interception for HTTPS")
              .orElse("the policy needs TLS interception");
    } else {
      return Optional.empty();
    }
    return Optional.of(
        why
            + ", but there is no interception CA at "
            + tls.caCert()
            + ". Create one with: gatehouse ca init"
            + configArg
            + " (or set tls.intercept: never to refuse HTTPS to those hosts).");
  }

  private static Optional<RuleModel> firstInspectingRule(PolicyEngine engine) {
    List<RuleModel> rules = new ArrayList<>(engine.model().rules());
    for (AgentModel a : engine.model().agents()) {
      rules.addAll(a.rules());
    }
    return rules.stream().filter(r -> r.methods().isPresent() || r.paths().isPresent()).findFirst();
  }
}
