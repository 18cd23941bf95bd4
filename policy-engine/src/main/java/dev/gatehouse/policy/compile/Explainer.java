package dev.gatehouse.policy.compile;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.Request;
import dev.gatehouse.policy.explain.Explanation;
import dev.gatehouse.policy.explain.Explanation.AddressTrace;
import dev.gatehouse.policy.explain.Explanation.RuleTrace;
import dev.gatehouse.policy.match.HostPattern;
import dev.gatehouse.policy.match.NormalizedPath;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds an {@link Explanation}: walks every candidate rule in file order (slowly, on purpose, with
 * each rule's own matchers) and says why it did or did not match, then runs the address checks on
 * the literal host and the simulated DNS answers. The decision itself comes from the same code path
 * as {@code decide()}.
 */
final class Explainer {
  private Explainer() {}

  static Explanation explain(
      CompiledPolicy policy, Request request, List<InetAddress> simulatedAddresses) {
    CompiledPolicy.Scope scope = policy.scopeOf(request.agent());
    NormalizedPath path = request.isConnect() ? null : NormalizedPath.of(request.path());
    List<RuleTrace> traces = new ArrayList<>();
    for (CompiledRule r : policy.top().rules()) {
      traces.add(trace(r, request, path));
    }
    if (scope != policy.top()) {
      for (CompiledRule r : scope.rules()) {
        traces.add(trace(r, request, path));
      }
    }
    Decision decision = policy.evaluate(request, path);

    Set<InetAddress> addresses = new LinkedHashSet<>();
    if (request.host() instanceof Host.Ip ip) {
      addresses.add(ip.address());
    }
    addresses.addAll(simulatedAddresses);
    List<AddressTrace> checks = new ArrayList<>();
    Optional<Reason> blocked = Optional.empty();
    for (InetAddress a : addresses) {
      Optional<Reason> r = policy.checkAddress(a);
      checks.add(new AddressTrace(a, r));
      if (r.isPresent() && (blocked.isEmpty() || r.get() == Reason.DENIED_CIDR)) {
        blocked = r;
      }
    }
    // Address checks run only for requests the rules let through, and nothing relaxes them:
    // not an approval, not report mode.
    if (blocked.isPresent() && decision.action() != Action.DENY) {
      decision = decision.deny(blocked.get(), true);
    }
    return new Explanation(decision, traces, checks);
  }

  private static RuleTrace trace(CompiledRule r, Request request, NormalizedPath path) {
    List<HostPattern> hits = r.targets().stream().filter(t -> t.matches(request.host())).toList();
    if (hits.isEmpty()) {
      String kind = request.host() instanceof Host.Ip ? "IP literal " : "host ";
      String hint =
          request.host() instanceof Host.Ip ? " (an IP literal matches only IP/CIDR targets)" : "";
      return miss(r, Optional.empty(), kind + request.host() + " not in " + r.targets() + hint);
    }
    if (!r.ports().contains(request.port())) {
      return miss(
          r,
          Optional.of(Reason.PORT_NOT_ALLOWED),
          "port " + request.port() + " not in " + r.ports());
    }
    if (request.isConnect()) {
      String why =
          r.conditional()
              ? "host and port match ("
                  + hits.get(0)
                  + "); its methods/paths are decided per request inside the inspected tunnel"
              : "matched (host by " + hits.get(0) + ")";
      return new RuleTrace(
          r.id(), r.scope(), r.action(), r.location(), true, Optional.empty(), why);
    }
    if (!r.methodMatches(request.method())) {
      return miss(
          r,
          Optional.of(Reason.METHOD_NOT_ALLOWED),
          "method " + request.method() + " not in " + r.methods());
    }
    if (!r.pathMatches(path)) {
      String globs =
          r.paths().stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
      String detail =
          path.isMalformed()
              ? "path "
                  + path.value()
                  + " is malformed (bad escape, or a dot segment hidden"
                  + " behind ; or an encoded slash), so no path glob matches it"
              : "path " + path.value() + " not matched by " + globs;
      return miss(r, Optional.of(Reason.PATH_NOT_ALLOWED), detail);
    }
    return new RuleTrace(
        r.id(),
        r.scope(),
        r.action(),
        r.location(),
        true,
        Optional.empty(),
        "matched (host by " + hits.get(0) + ")");
  }

  private static RuleTrace miss(CompiledRule r, Optional<Reason> reason, String why) {
    return new RuleTrace(r.id(), r.scope(), r.action(), r.location(), false, reason, why);
  }
}
