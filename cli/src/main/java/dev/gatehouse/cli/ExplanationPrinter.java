package dev.gatehouse.cli;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.explain.Explanation;
import dev.gatehouse.policy.explain.Explanation.AddressTrace;
import dev.gatehouse.policy.explain.Explanation.RuleTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an {@link Explanation} for people (text) and for tools (JSON). */
public final class ExplanationPrinter {
  private ExplanationPrinter() {}

  public static String text(RequestLine request, Explanation e) {
    Decision d = e.decision();
    StringBuilder out = new StringBuilder();
    out.append(d.action().wireName())
        .append(" (reason ")
        .append(d.reason().wireName())
        .append(", rule ")
        .append(d.ruleId())
        .append(')');
    if (!d.enforced()) {
      out.append(" [report mode: not enforced]");
    }
    if (d.inspect()) {
      out.append(" [tunnel intercepted: inner requests decided one by one]");
    }
    out.append('\n');
    out.append("  request: ").append(request.display()).append('\n');
    out.append("  agent:   ").append(d.agent()).append('\n');
    out.append("  policy:  ").append(d.policyVersion()).append('\n');
    if (e.rules().isEmpty()) {
      out.append("candidate rules: none\n");
    } else {
      out.append("candidate rules:\n");
      int idWidth = e.rules().stream().mapToInt(r -> r.ruleId().length()).max().orElse(0);
      for (RuleTrace r : e.rules()) {
        out.append(
            String.format(
                "  %s %-" + idWidth + "s  %-5s  %-8s %s  %s%n",
                r.matched() ? "✓" : "✗",
                r.ruleId(),
                r.action().wireName(),
                r.scope(),
                r.location(),
                r.why()));
      }
    }
    if (!e.addresses().isEmpty()) {
      out.append("addresses (simulated):\n");
      for (AddressTrace a : e.addresses()) {
        out.append("  ")
            .append(a.address().getHostAddress())
            .append("  ")
            .append(a.blocked().map(r -> "blocked: " + r.wireName()).orElse("ok"))
            .append('\n');
      }
    }
    return out.toString();
  }

  public static Map<String, Object> json(RequestLine request, Explanation e) {
    Decision d = e.decision();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request", request.display());
    m.put("decision", d.action().wireName());
    m.put("reason", d.reason().wireName());
    m.put("rule", d.ruleId());
    m.put("agent", d.agent());
    m.put("policy_version", d.policyVersion());
    m.put("enforced", d.enforced());
    m.put("intercept", d.inspect());
    List<Map<String, Object>> rules = new ArrayList<>();
    for (RuleTrace r : e.rules()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("rule", r.ruleId());
      j.put("scope", r.scope());
      j.put("action", r.action().wireName());
      j.put("location", r.location().toString());
      j.put("matched", r.matched());
      j.put("miss", r.miss().map(Reason::wireName).orElse(null));
      j.put("why", r.why());
      rules.add(j);
    }
    m.put("rules", rules);
    List<Map<String, Object>> addresses = new ArrayList<>();
    for (AddressTrace a : e.addresses()) {
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("address", a.address().getHostAddress());
      j.put("blocked", a.blocked().map(Reason::wireName).orElse(null));
      addresses.add(j);
    }
    m.put("addresses", addresses);
    return m;
  }
}
