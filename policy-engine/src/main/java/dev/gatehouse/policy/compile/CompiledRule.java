package dev.gatehouse.policy.compile;

import dev.gatehouse.config.Location;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.match.HostPattern;
import dev.gatehouse.policy.match.MethodSet;
import dev.gatehouse.policy.match.NormalizedPath;
import dev.gatehouse.policy.match.PathGlob;
import dev.gatehouse.policy.match.PortSet;
import java.util.Comparator;
import java.util.List;

/**
 * One rule after compilation: patterns, ports, methods and path globs ready to match.
 *
 * @param scope {@code policy} for a top-level rule, else the agent's name
 * @param methods null for any method
 * @param paths null for any path
 * @param explicitPorts true when the file named {@code ports} (opaque tunnels need that)
 */
record CompiledRule(
    String id,
    String scope,
    Action action,
    Location location,
    List<HostPattern> targets,
    PortSet ports,
    boolean explicitPorts,
    MethodSet methods,
    List<PathGlob> paths) {

  static final String POLICY_SCOPE = "policy";

  /**
   * The order used to pick the deciding rule among several that match: by id, then scope, then
   * location. Never the order in the file, so reordering rules cannot change a decision.
   */
  static final Comparator<CompiledRule> PRECEDENCE =
      Comparator.comparing(CompiledRule::id)
          .thenComparing(CompiledRule::scope)
          .thenComparing(r -> r.location().file())
          .thenComparingInt(r -> r.location().line())
          .thenComparingInt(r -> r.location().column());

  /** True when the rule names methods or paths: deciding it needs the inner request. */
  boolean conditional() {
    return methods != null || paths != null;
  }

  boolean methodMatches(String method) {
    return methods == null || methods.contains(method);
  }

  boolean pathMatches(NormalizedPath path) {
    if (paths == null) {
      return true;
    }
    for (PathGlob glob : paths) {
      if (glob.matches(path)) {
        return true;
      }
    }
    return false;
  }

  static CompiledRule first(CompiledRule a, CompiledRule b) {
    if (a == null) {
      return b;
    }
    return PRECEDENCE.compare(a, b) <= 0 ? a : b;
  }
}
