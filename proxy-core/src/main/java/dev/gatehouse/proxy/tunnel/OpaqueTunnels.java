package dev.gatehouse.proxy.tunnel;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Request;
import dev.gatehouse.policy.explain.Explanation;
import java.util.List;

/**
 * Whether a tunnel whose first bytes are neither TLS nor HTTP (SSH on port 22, say) may be relayed
 * opaquely (SPEC §3): only when an allow rule that matches the host names the port explicitly and
 * names no methods or paths. Decided with the engine's explanation, which lists the matching rules;
 * rare enough that its cost does not matter.
 */
final class OpaqueTunnels {
  private OpaqueTunnels() {}

  static boolean allowed(PolicyEngine engine, String agent, Host host, int port) {
    Explanation explanation = engine.explain(Request.connect(agent, host, port), List.of());
    PolicyModel model = engine.model();
    for (Explanation.RuleTrace trace : explanation.rules()) {
      if (!trace.matched() || trace.action() != Action.ALLOW) {
        continue;
      }
      RuleModel rule = find(model, trace.scope(), trace.ruleId());
      if (rule != null
          && rule.ports().isPresent()
          && rule.ports().get().stream().anyMatch(p -> p.value().contains(port))
          && rule.methods().map(List::isEmpty).orElse(true)
          && rule.paths().map(List::isEmpty).orElse(true)) {
        return true;
      }
    }
    return false;
  }

  private static RuleModel find(PolicyModel model, String scope, String id) {
    List<RuleModel> rules = model.rules();
    if (!"policy".equals(scope)) {
      rules =
          model.agents().stream()
              .filter(a -> a.name().value().equals(scope))
              .findFirst()
              .map(AgentModel::rules)
              .orElse(List.of());
    }
    for (RuleModel r : rules) {
      if (r.id().value().equals(id)) {
        return r;
      }
    }
    return null;
  }
}
