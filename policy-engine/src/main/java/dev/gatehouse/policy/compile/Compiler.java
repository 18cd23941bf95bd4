package dev.gatehouse.policy.compile;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.PortRange;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.policy.PolicyCompiler.Compilation;
import dev.gatehouse.policy.match.Cidr;
import dev.gatehouse.policy.match.CidrSet;
import dev.gatehouse.policy.match.HostIndex;
import dev.gatehouse.policy.match.HostPattern;
import dev.gatehouse.policy.match.MethodSet;
import dev.gatehouse.policy.match.PathGlob;
import dev.gatehouse.policy.match.PortSet;
import dev.gatehouse.policy.match.SpecialAddresses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles a {@link PolicyModel} (SPEC §2) into a {@link CompiledPolicy}: validates and normalises
 * every pattern, CIDR, port list, method and path glob once, builds the host indexes, and runs the
 * lint that {@code gatehouse check} prints. Every error is reported, not just the first; any error
 * means no engine.
 */
public final class Compiler {
  private final PolicyModel model;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private final Map<PortSet, PortSet> portSets = new HashMap<>();
  private final Map<MethodSet, MethodSet> methodSets = new HashMap<>();

  /** Equal glob lists share one compiled list: fewer objects, and hot in the CPU cache. */
  private final Map<List<String>, List<PathGlob>> pathLists = new HashMap<>();

  private CidrSet allowCidrs = CidrSet.EMPTY;
  private int errors;

  private Compiler(PolicyModel model) {
    this.model = model;
    portSets.put(PortSet.DEFAULT, PortSet.DEFAULT);
  }

  /**
   * Compiles {@code model}.
   *
   * @param decisionCacheSize maximum cached decisions; 0 disables the cache
   */
  public static Compilation compile(PolicyModel model, int decisionCacheSize) {
    return new Compiler(model).run(decisionCacheSize);
  }

  private Compilation run(int cacheSize) {
    allowCidrs = cidrs(model.network().allowCidrs(), "network.allow_cidrs");
    CidrSet denyCidrs = cidrs(model.network().denyCidrs(), "network.deny_cidrs");

    List<CompiledRule> topRules = rules(model.rules(), CompiledRule.POLICY_SCOPE, "rules");
    CompiledPolicy.Scope top =
        new CompiledPolicy.Scope(
            CompiledRule.POLICY_SCOPE,
            index(topRules),
            topRules,
            model.defaults().action(),
            model.defaults().mode(),
            CidrSet.EMPTY);

    Map<String, CompiledPolicy.Scope> agents = new LinkedHashMap<>();
    for (AgentModel agent : model.agents()) {
      String name = agent.name().value();
      String key = "agents." + name;
      List<CompiledRule> rules = rules(agent.rules(), name, key + ".rules");
      CidrSet sources = cidrs(agent.sourceCidrs(), key + ".source_cidrs");
      CompiledPolicy.Scope scope =
          new CompiledPolicy.Scope(
              name,
              index(rules),
              rules,
              agent.defaultAction().orElse(model.defaults().action()),
              agent.mode().orElse(model.defaults().mode()),
              sources);
      if (agents.putIfAbsent(name, scope) != null) {
        error(
            Diagnostic.error(
                agent.name().location(), key, "agent \"" + name + "\" is defined twice"));
      }
    }

    Lint.overriddenRules(top, agents.values(), diagnostics);

    boolean needsInterception =
        topRules.stream().anyMatch(CompiledRule::conditional)
            || agents.values().stream()
                .anyMatch(s -> s.rules().stream().anyMatch(CompiledRule::conditional));

    // in file order, as `check` prints them
    diagnostics.sort(Diagnostic.FILE_ORDER);
    if (errors > 0) {
      return new Compilation(Optional.empty(), diagnostics);
    }
    CompiledPolicy engine =
        new CompiledPolicy(model, top, agents, allowCidrs, denyCidrs, needsInterception, cacheSize);
    return new Compilation(Optional.of(engine), diagnostics);
  }

  private static HostIndex<CompiledRule> index(List<CompiledRule> rules) {
    HostIndex<CompiledRule> index = new HostIndex<>();
    for (CompiledRule r : rules) {
      for (HostPattern t : r.targets()) {
        index.add(t, r);
      }
    }
    return index;
  }

  private CidrSet cidrs(List<Located<String>> texts, String key) {
    List<Cidr> out = new ArrayList<>(texts.size());
    for (Located<String> text : texts) {
      try {
        out.add(Cidr.parse(text.value()));
        if (Cidr.hasHostBits(text.value())) {
          diagnostics.add(
              Diagnostic.warning(
                  text.location(),
                  key,
                  "\""
                      + text.value()
                      + "\" has host bits set; it means "
                      + Cidr.parse(text.value())));
        }
      } catch (IllegalArgumentException e) {
        error(Diagnostic.error(text.location(), key, e.getMessage()));
      }
    }
    return CidrSet.of(out);
  }

  private List<CompiledRule> rules(List<RuleModel> models, String scope, String keyPrefix) {
    List<CompiledRule> out = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      CompiledRule r = rule(models.get(i), scope, new RuleKey(keyPrefix, i));
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The dotted key of a rule ({@code rules[3]}, {@code agents.ci.rules[0]}), built only when a
   * diagnostic needs it: a 100,000-rule policy should not pay for 100,000 key strings.
   */
  private record RuleKey(String prefix, int index) {
    @Override
    public String toString() {
      return prefix + "[" + index + "]";
    }
  }

  /** The key of a rule's allow|deny|ask list ({@code rules[3].allow}), built on demand. */
  private record TargetKey(RuleKey rule, Action action) {
    @Override
    public String toString() {
      return rule + "." + action.wireName();
    }
  }

  /** One rule; null when it has errors (they are recorded). */
  private CompiledRule rule(RuleModel m, String scope, RuleKey key) {
    int errorsBefore = errorCount();
    String id = m.id().value();
    TargetKey targetKey = new TargetKey(key, m.action());
    Location where = m.location();

    List<HostPattern> targets = new ArrayList<>(m.targets().size());
    List<Located<String>> written = new ArrayList<>(m.targets().size());
    for (Located<String> t : m.targets()) {
      HostPattern p;
      try {
        p = HostPattern.parse(t.value());
      } catch (IllegalArgumentException e) {
        error(
            Diagnostic.error(
                t.location(), targetKey.toString(), e.getMessage() + " (rule " + id + ")"));
        continue;
      }
      targets.add(p);
      written.add(t);
      targetWarnings(m, id, t, p, targetKey);
    }
    if (m.targets().isEmpty()) {
      diagnostics.add(
          Diagnostic.warning(
              where, targetKey.toString(), "rule " + id + " names no hosts: it can never match"));
    }
    if (targets.size() <= 256) {
      redundantTargets(id, written, targets, targetKey);
    }

    PortSet ports = PortSet.DEFAULT;
    if (m.ports().isPresent()) {
      List<PortRange> ranges = m.ports().get().stream().map(Located::value).toList();
      ports = portSets.computeIfAbsent(PortSet.of(ranges), p -> p);
      if (ranges.isEmpty()) {
        diagnostics.add(
            Diagnostic.warning(
                where, key + ".ports", "rule " + id + " has ports: [] and can never match"));
      }
    }

    MethodSet methods = null;
    if (m.methods().isPresent()) {
      List<String> names = new ArrayList<>();
      for (Located<String> method : m.methods().get()) {
        String v = method.value();
        if (!MethodSet.isToken(v)) {
          error(
              Diagnostic.error(
                  method.location(),
                  key + ".methods",
                  "\"" + v + "\" is not an HTTP method (rule " + id + ")"));
          continue;
        }
        String upper = v.toUpperCase(Locale.ROOT);
        if (!upper.equals(v)) {
          diagnostics.add(
              Diagnostic.warning(
                  method.location(),
                  key + ".methods",
                  "HTTP methods are case-sensitive and written in upper case: \""
                      + v
                      + "\" is read as "
                      + upper));
        }
        names.add(upper);
      }
      methods = methodSets.computeIfAbsent(MethodSet.of(names), s -> s);
      if (m.methods().get().isEmpty()) {
        diagnostics.add(
            Diagnostic.warning(
                where, key + ".methods", "rule " + id + " has methods: [] and can never match"));
      }
    }

    List<PathGlob> paths = null;
    if (m.paths().isPresent()) {
      paths = new ArrayList<>();
      for (Located<String> glob : m.paths().get()) {
        try {
          paths.add(PathGlob.compile(glob.value()));
        } catch (IllegalArgumentException e) {
          error(
              Diagnostic.error(
                  glob.location(), key + ".paths", e.getMessage() + " (rule " + id + ")"));
        }
      }
      List<String> texts = paths.stream().map(PathGlob::toString).toList();
      List<PathGlob> compiled = List.copyOf(paths);
      paths = pathLists.computeIfAbsent(texts, t -> compiled);
      if (m.paths().get().isEmpty()) {
        diagnostics.add(
            Diagnostic.warning(
                where, key + ".paths", "rule " + id + " has paths: [] and can never match"));
      }
    }

    if (errorCount() > errorsBefore) {
      return null;
    }
    return new CompiledRule(
        id,
        scope,
        m.action(),
        where,
        List.copyOf(targets),
        ports,
        m.ports().isPresent(),
        methods,
        paths);
  }

  private void targetWarnings(
      RuleModel m, String id, Located<String> t, HostPattern p, TargetKey key) {
    if (p instanceof HostPattern.AnyName && m.action() == Action.ALLOW) {
      diagnostics.add(
          Diagnostic.warning(
              t.location(),
              key.toString(),
              "rule " + id + " allows \"*\": every host name, for every agent it applies to"));
    }
    if (p instanceof HostPattern.Address a) {
      if (t.value().indexOf('/') >= 0 && Cidr.hasHostBits(t.value())) {
        diagnostics.add(
            Diagnostic.warning(
                t.location(),
                key.toString(),
                "\"" + t.value() + "\" has host bits set; it means " + a.cidr()));
      }
      if (model.network().blockPrivate() && m.action() != Action.DENY) {
        for (SpecialAddresses.Range range : SpecialAddresses.NON_GLOBAL) {
          if (range.cidr().overlaps(a.cidr()) && !allowCidrs.containsAll(a.cidr())) {
            diagnostics.add(
                Diagnostic.warning(
                    t.location(),
                    key.toString(),
                    "rule "
                        + id
                        + " names "
                        + t.value()
                        + ", which overlaps the non-global range "
                        + range.cidr()
                        + " ("
                        + range.name()
                        + "): a rule cannot open it; only network.allow_cidrs can"));
            break;
          }
        }
      }
    }
  }

  /** Warns about a target that another target of the same rule already covers. */
  private void redundantTargets(
      String id, List<Located<String>> written, List<HostPattern> targets, TargetKey key) {
    if (targets.size() < 2) {
      return;
    }
    HostIndex<Integer> index = new HostIndex<>();
    for (int i = 0; i < targets.size(); i++) {
      index.add(targets.get(i), i);
    }
    for (int i = 0; i < targets.size(); i++) {
      HostPattern t = targets.get(i);
      for (int j : index.coverersOf(t)) {
        if (j == i || !Lint.covers(targets.get(j), t)) {
          continue;
        }
        if (targets.get(j).equals(t) && j > i) {
          continue; // report a duplicate once, at its second occurrence
        }
        diagnostics.add(
            Diagnostic.warning(
                written.get(i).location(),
                key.toString(),
                "rule " + id + ": \"" + t + "\" is already covered by \"" + targets.get(j) + "\""));
        break;
      }
    }
  }

  private void error(Diagnostic d) {
    diagnostics.add(d);
    errors++;
  }

  private int errorCount() {
    return errors;
  }
}
