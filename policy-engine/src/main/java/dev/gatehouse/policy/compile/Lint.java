package dev.gatehouse.policy.compile;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.match.HostIndex;
import dev.gatehouse.policy.match.HostPattern;
import java.util.Collection;
import java.util.List;

/**
 * Whole-policy warnings for {@code gatehouse check} (issue 2 item 4). Warnings never block a
 * policy; they point at rules that do not do what their author probably thinks. Per-rule warnings
 * (never-matching rules, non-global CIDRs, {@code *} in an allow rule) are raised by {@link
 * Compiler} as it compiles each rule.
 */
final class Lint {
  private Lint() {}

  /**
   * An allow or ask rule that a deny rule always overrides: for each of its targets some
   * unconditional deny rule that applies wherever it applies (top-level, or the same agent's)
   * covers that target and all of its ports. Uses the host index, so it costs the same per rule
   * whatever the size of the policy.
   */
  static void overriddenRules(
      CompiledPolicy.Scope top, Collection<CompiledPolicy.Scope> agents, List<Diagnostic> out) {
    HostIndex<CompiledRule> topDeny = denyIndex(top.rules());
    for (CompiledRule r : top.rules()) {
      check(r, List.of(topDeny), out);
    }
    for (CompiledPolicy.Scope agent : agents) {
      HostIndex<CompiledRule> agentDeny = denyIndex(agent.rules());
      for (CompiledRule r : agent.rules()) {
        check(r, List.of(topDeny, agentDeny), out);
      }
    }
  }

  private static HostIndex<CompiledRule> denyIndex(List<CompiledRule> rules) {
    HostIndex<CompiledRule> index = new HostIndex<>();
    for (CompiledRule r : rules) {
      if (r.action() == Action.DENY && !r.conditional()) {
        for (HostPattern t : r.targets()) {
          index.add(t, r);
        }
      }
    }
    return index;
  }

  private static void check(
      CompiledRule r, List<HostIndex<CompiledRule>> denies, List<Diagnostic> out) {
    if (r.action() == Action.DENY || r.targets().isEmpty()) {
      return;
    }
    CompiledRule witness = null;
    for (HostPattern t : r.targets()) {
      CompiledRule found = null;
      for (HostIndex<CompiledRule> index : denies) {
        for (CompiledRule d : index.coverersOf(t)) {
          if (d.ports().containsAll(r.ports())
              && d.targets().stream().anyMatch(dt -> covers(dt, t))) {
            found = CompiledRule.first(found, d);
          }
        }
      }
      if (found == null) {
        return;
      }
      witness = witness == null || witness == found ? found : witness;
    }
    out.add(
        Diagnostic.warning(
            r.location(),
            "",
            "rule "
                + r.id()
                + " ("
                + r.action().wireName()
                + ") never takes effect: deny rule "
                + witness.id()
                + " ("
                + witness.location()
                + ") covers all of its hosts and ports, and deny wins"));
  }

  /** True when {@code a} matches every host that {@code b} matches. */
  static boolean covers(HostPattern a, HostPattern b) {
    if (a instanceof HostPattern.AnyName) {
      return !(b instanceof HostPattern.Address);
    }
    if (a instanceof HostPattern.Address x) {
      return b instanceof HostPattern.Address y && x.cidr().contains(y.cidr());
    }
    if (a instanceof HostPattern.Exact x) {
      return b instanceof HostPattern.Exact y && x.name().equals(y.name());
    }
    String s;
    boolean self;
    if (a instanceof HostPattern.Below x) {
      s = x.suffix();
      self = false;
    } else {
      s = ((HostPattern.SelfAndBelow) a).suffix();
      self = true;
    }
    if (b instanceof HostPattern.Exact y) {
      return (self && y.name().equals(s)) || below(y.name(), s);
    }
    if (b instanceof HostPattern.Below y) {
      return y.suffix().equals(s) || below(y.suffix(), s);
    }
    if (b instanceof HostPattern.SelfAndBelow y) {
      return (self && y.suffix().equals(s)) || below(y.suffix(), s);
    }
    return false;
  }

  private static boolean below(String name, String suffix) {
    return name.length() > suffix.length() + 1
        && name.endsWith(suffix)
        && name.charAt(name.length() - suffix.length() - 1) == '.';
  }
}
