package dev.gatehouse.policy.compile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.Request;
import dev.gatehouse.policy.explain.Explanation;
import dev.gatehouse.policy.host.IpLiterals;
import dev.gatehouse.policy.match.CidrSet;
import dev.gatehouse.policy.match.HostIndex;
import dev.gatehouse.policy.match.NormalizedPath;
import dev.gatehouse.policy.match.SpecialAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compiled policy: immutable after construction, shared by every event loop. A decision is a
 * lookup of the request host in two host indexes (top-level rules and the agent's own), then a
 * check of port, method and path on the few rules those return. A bounded Caffeine cache, new with
 * each compiled policy, remembers recent decisions.
 */
final class CompiledPolicy implements PolicyEngine {

  /** The rules and defaults that apply to one agent (or to unknown agents). */
  record Scope(
      String name,
      HostIndex<CompiledRule> index,
      List<CompiledRule> rules,
      Action defaultAction,
      Mode mode,
      CidrSet sourceCidrs) {}

  private record CacheKey(String agent, String method, Host host, int port, String path) {}

  /** How close a rule that did not match came: what the default-deny reason reports. */
  private static final int MISS_NONE = 0;

  private static final int MISS_PORT = 1;
  private static final int MISS_METHOD = 2;
  private static final int MISS_PATH = 3;

  private final PolicyModel model;
  private final Scope top;
  private final Map<String, Scope> agents;
  private final CidrSet allowCidrs;
  private final CidrSet denyCidrs;
  private final boolean blockPrivate;
  private final boolean needsInterception;
  private final Cache<CacheKey, Decision> cache;

  CompiledPolicy(
      PolicyModel model,
      Scope top,
      Map<String, Scope> agents,
      CidrSet allowCidrs,
      CidrSet denyCidrs,
      boolean needsInterception,
      int cacheSize) {
    this.model = model;
    this.top = top;
    this.agents = Map.copyOf(agents);
    this.allowCidrs = allowCidrs;
    this.denyCidrs = denyCidrs;
    this.blockPrivate = model.network().blockPrivate();
    this.needsInterception = needsInterception;
    this.cache = cacheSize > 0 ? Caffeine.newBuilder().maximumSize(cacheSize).build() : null;
  }

  @Override
  public Decision decide(Request request) {
    NormalizedPath path = request.isConnect() ? null : NormalizedPath.of(request.path());
    if (cache == null) {
      return evaluate(request, path);
    }
    String pathKey = path == null ? "" : path.isMalformed() ? "\0" + path.value() : path.value();
    CacheKey key =
        new CacheKey(request.agent(), request.method(), request.host(), request.port(), pathKey);
    Decision cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Decision decision = evaluate(request, path);
    cache.put(key, decision);
    return decision;
  }

  Scope scopeOf(String agent) {
    Scope s = agents.get(agent);
    return s != null ? s : top;
  }

  private List<CompiledRule> candidates(Scope scope, Host host) {
    List<CompiledRule> out = new ArrayList<>(4);
    top.index().forEachMatch(host, out::add);
    if (scope != top) {
      scope.index().forEachMatch(host, out::add);
    }
    return out;
  }

  Decision evaluate(Request request, NormalizedPath path) {
    Scope scope = scopeOf(request.agent());
    List<CompiledRule> hostMatches = candidates(scope, request.host());
    return request.isConnect()
        ? evaluateConnect(request, scope, hostMatches)
        : evaluateRequest(request, path, scope, hostMatches);
  }

  private Decision evaluateRequest(
      Request request, NormalizedPath path, Scope scope, List<CompiledRule> hostMatches) {
    CompiledRule deny = null;
    CompiledRule ask = null;
    CompiledRule allow = null;
    int closest = MISS_NONE;
    for (CompiledRule r : hostMatches) {
      int miss;
      if (!r.ports().contains(request.port())) {
        miss = MISS_PORT;
      } else if (!r.methodMatches(request.method())) {
        miss = MISS_METHOD;
      } else if (!r.pathMatches(path)) {
        miss = MISS_PATH;
      } else {
        switch (r.action()) {
          case DENY -> deny = CompiledRule.first(deny, r);
          case ASK -> ask = CompiledRule.first(ask, r);
          case ALLOW -> allow = CompiledRule.first(allow, r);
        }
        continue;
      }
      if (r.action() != Action.DENY) {
        closest = Math.max(closest, miss);
      }
    }
    return conclude(request, scope, deny, ask, allow, closest);
  }

  /**
   * CONNECT: decided on host and port. An unconditional deny (no methods, no paths) closes the
   * tunnel. When a rule matching host and port names methods or paths, the tunnel is allowed with
   * {@code inspect} so that every inner request is decided on its own (unless nothing inside could
   * ever be allowed or asked). Otherwise ask > allow > default as for any request.
   */
  private Decision evaluateConnect(Request request, Scope scope, List<CompiledRule> hostMatches) {
    CompiledRule deny = null;
    CompiledRule ask = null;
    CompiledRule allow = null;
    CompiledRule conditionalAllow = null;
    CompiledRule conditionalAsk = null;
    boolean conditional = false;
    int closest = MISS_NONE;
    for (CompiledRule r : hostMatches) {
      if (!r.ports().contains(request.port())) {
        if (r.action() != Action.DENY) {
          closest = MISS_PORT;
        }
        continue;
      }
      if (r.conditional()) {
        conditional = true;
        switch (r.action()) {
          case ALLOW -> conditionalAllow = CompiledRule.first(conditionalAllow, r);
          case ASK -> conditionalAsk = CompiledRule.first(conditionalAsk, r);
          case DENY -> {}
        }
        continue;
      }
      switch (r.action()) {
        case DENY -> deny = CompiledRule.first(deny, r);
        case ASK -> ask = CompiledRule.first(ask, r);
        case ALLOW -> allow = CompiledRule.first(allow, r);
      }
    }
    if (deny != null || !conditional) {
      return conclude(request, scope, deny, ask, allow, closest);
    }
    // Some rule needs the inner request: open the tunnel for inspection if anything inside could
    // be allowed or asked; inner requests then get their own decisions.
    CompiledRule opener =
        allow != null
            ? allow
            : conditionalAllow != null ? conditionalAllow : ask != null ? ask : conditionalAsk;
    if (opener != null) {
      return decision(request, scope, Action.ALLOW, Reason.RULE_ALLOW, opener.id(), true);
    }
    if (scope.defaultAction() != Action.DENY) {
      return decision(
          request, scope, Action.ALLOW, Reason.DEFAULT_ALLOW, Decision.DEFAULT_RULE, true);
    }
    return conclude(request, scope, null, null, null, closest);
  }

  /**
   * A decision that opens no inspected tunnel: deny > ask > allow > the scope's default, whose
   * reason names what came closest ({@code closest}) when the default denies.
   */
  private Decision conclude(
      Request request,
      Scope scope,
      CompiledRule deny,
      CompiledRule ask,
      CompiledRule allow,
      int closest) {
    if (deny != null) {
      return decision(request, scope, Action.DENY, Reason.RULE_DENY, deny.id(), false);
    }
    if (ask != null) {
      return decision(request, scope, Action.ASK, Reason.RULE_ASK, ask.id(), false);
    }
    if (allow != null) {
      return decision(request, scope, Action.ALLOW, Reason.RULE_ALLOW, allow.id(), false);
    }
    Action fallback = scope.defaultAction();
    Reason reason =
        switch (fallback) {
          case ALLOW -> Reason.DEFAULT_ALLOW;
          case ASK -> Reason.DEFAULT_ASK;
          case DENY ->
              switch (closest) {
                case MISS_PATH -> Reason.PATH_NOT_ALLOWED;
                case MISS_METHOD -> Reason.METHOD_NOT_ALLOWED;
                case MISS_PORT -> Reason.PORT_NOT_ALLOWED;
                default -> Reason.DEFAULT_DENY;
              };
        };
    return decision(request, scope, fallback, reason, Decision.DEFAULT_RULE, false);
  }

  private Decision decision(
      Request request, Scope scope, Action action, Reason reason, String ruleId, boolean inspect) {
    boolean enforced = action == Action.ALLOW || scope.mode() == Mode.ENFORCE;
    return new Decision(
        action, reason, ruleId, request.agent(), model.version(), enforced, inspect);
  }

  @Override
  public boolean allowsOpaqueTunnel(Request request) {
    if (!request.isConnect()) {
      return false;
    }
    Decision d = evaluate(request, null);
    if (d.action() != Action.ALLOW || d.inspect()) {
      return false;
    }
    Scope scope = scopeOf(request.agent());
    for (CompiledRule r : candidates(scope, request.host())) {
      if (r.action() == Action.ALLOW
          && r.explicitPorts()
          && !r.conditional()
          && r.ports().contains(request.port())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Optional<Reason> checkAddress(InetAddress address) {
    InetAddress a = IpLiterals.canonical(address);
    List<InetAddress> forms = new ArrayList<>(3);
    forms.add(a);
    forms.addAll(SpecialAddresses.embeddedIpv4(a));
    for (InetAddress f : forms) {
      if (denyCidrs.contains(f)) {
        return Optional.of(Reason.DENIED_CIDR);
      }
    }
    if (blockPrivate) {
      for (InetAddress f : forms) {
        if (SpecialAddresses.isNonGlobal(f) && !allowCidrs.contains(f)) {
          return Optional.of(Reason.PRIVATE_ADDRESS);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Explanation explain(Request request, List<InetAddress> simulatedAddresses) {
    return Explainer.explain(this, request, simulatedAddresses);
  }

  @Override
  public String version() {
    return model.version();
  }

  @Override
  public PolicyModel model() {
    return model;
  }

  @Override
  public boolean needsInterception() {
    return needsInterception;
  }

  @Override
  public CidrSet sourceCidrs(String agent) {
    Scope s = agents.get(agent);
    return s == null ? CidrSet.EMPTY : s.sourceCidrs();
  }

  Scope top() {
    return top;
  }

  CidrSet allowCidrs() {
    return allowCidrs;
  }

  CidrSet denyCidrs() {
    return denyCidrs;
  }

  boolean blockPrivate() {
    return blockPrivate;
  }
}
