package dev.gatehouse.policy;

import dev.gatehouse.config.Location;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.DefaultsModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.NetworkModel;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.PortRange;
import dev.gatehouse.config.model.RuleModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds {@link PolicyModel}s for tests without YAML: every value gets a distinct location in
 * {@code test.yaml} so diagnostics can be checked for where they point.
 */
public final class PolicyBuilder {
  public static final String FILE = "test.yaml";
  private static final AtomicInteger LINE = new AtomicInteger(1);

  private Action defaultAction = Action.DENY;
  private Mode mode = Mode.ENFORCE;
  private boolean blockPrivate = true;
  private final List<Located<String>> allowCidrs = new ArrayList<>();
  private final List<Located<String>> denyCidrs = new ArrayList<>();
  private final List<RuleModel> rules = new ArrayList<>();
  private final List<AgentModel> agents = new ArrayList<>();
  private String version = "v-test";

  public static PolicyBuilder policy() {
    return new PolicyBuilder();
  }

  static Location next() {
    return new Location(FILE, LINE.getAndIncrement(), 3);
  }

  static <T> Located<T> at(T value) {
    return new Located<>(value, next());
  }

  static List<Located<String>> located(String... values) {
    return Arrays.stream(values).map(PolicyBuilder::at).toList();
  }

  public PolicyBuilder defaultAction(Action a) {
    defaultAction = a;
    return this;
  }

  public PolicyBuilder mode(Mode m) {
    mode = m;
    return this;
  }

  public PolicyBuilder blockPrivate(boolean b) {
    blockPrivate = b;
    return this;
  }

  public PolicyBuilder allowCidrs(String... cidrs) {
    allowCidrs.addAll(located(cidrs));
    return this;
  }

  public PolicyBuilder denyCidrs(String... cidrs) {
    denyCidrs.addAll(located(cidrs));
    return this;
  }

  public PolicyBuilder version(String v) {
    version = v;
    return this;
  }

  public PolicyBuilder rule(Rule rule) {
    rules.add(rule.build());
    return this;
  }

  public PolicyBuilder rules(List<RuleModel> models) {
    rules.addAll(models);
    return this;
  }

  public PolicyBuilder agent(Agent agent) {
    agents.add(agent.build());
    return this;
  }

  public PolicyModel build() {
    return new PolicyModel(
        FILE,
        version,
        new DefaultsModel(defaultAction, mode),
        new NetworkModel(blockPrivate, allowCidrs, denyCidrs),
        rules,
        agents,
        AnonymousPolicy.DEFAULT);
  }

  /** Compiles and insists there were no errors. */
  public PolicyEngine engine() {
    PolicyCompiler.Compilation c = PolicyCompiler.compile(build());
    if (c.engine().isEmpty()) {
      throw new AssertionError("policy did not compile: " + c.diagnostics());
    }
    return c.engine().get();
  }

  public PolicyCompiler.Compilation compile() {
    return PolicyCompiler.compile(build());
  }

  public static Rule allow(String id, String... targets) {
    return new Rule(id, Action.ALLOW, targets);
  }

  public static Rule deny(String id, String... targets) {
    return new Rule(id, Action.DENY, targets);
  }

  public static Rule ask(String id, String... targets) {
    return new Rule(id, Action.ASK, targets);
  }

  public static Agent agent(String name) {
    return new Agent(name);
  }

  /** One rule. */
  public static final class Rule {
    private final String id;
    private final Action action;
    private final List<Located<String>> targets;
    private final Location location = next();
    private List<Located<PortRange>> ports;
    private List<Located<String>> methods;
    private List<Located<String>> paths;

    Rule(String id, Action action, String... targets) {
      this.id = id;
      this.action = action;
      this.targets = located(targets);
    }

    public Location location() {
      return location;
    }

    public Rule ports(int... ports) {
      this.ports = Arrays.stream(ports).mapToObj(p -> at(PortRange.of(p))).toList();
      return this;
    }

    public Rule portRange(int from, int to) {
      this.ports = List.of(at(new PortRange(from, to)));
      return this;
    }

    public Rule methods(String... methods) {
      this.methods = located(methods);
      return this;
    }

    public Rule paths(String... paths) {
      this.paths = located(paths);
      return this;
    }

    public RuleModel build() {
      return new RuleModel(
          new Located<>(id, location),
          false,
          action,
          targets,
          Optional.ofNullable(ports),
          Optional.ofNullable(methods),
          Optional.ofNullable(paths),
          Optional.empty(),
          location);
    }
  }

  /** One agent. */
  public static final class Agent {
    private final String name;
    private Mode mode;
    private Action defaultAction;
    private final List<Located<String>> sourceCidrs = new ArrayList<>();
    private final List<RuleModel> rules = new ArrayList<>();

    Agent(String name) {
      this.name = name;
    }

    public Agent mode(Mode m) {
      mode = m;
      return this;
    }

    public Agent defaultAction(Action a) {
      defaultAction = a;
      return this;
    }

    public Agent sourceCidrs(String... cidrs) {
      sourceCidrs.addAll(located(cidrs));
      return this;
    }

    public Agent rule(Rule r) {
      rules.add(r.build());
      return this;
    }

    AgentModel build() {
      return new AgentModel(
          at(name),
          Optional.of("00"),
          Optional.empty(),
          sourceCidrs,
          Optional.ofNullable(mode),
          Optional.ofNullable(defaultAction),
          rules,
          next());
    }
  }

  /** A request; the host is normalised as the proxy would. */
  public static Request get(String agent, String host, int port, String path) {
    return new Request(agent, "GET", Host.parse(host), port, path);
  }

  public static Request req(String agent, String method, String host, int port, String path) {
    return new Request(agent, method, Host.parse(host), port, path);
  }

  public static Request connect(String agent, String host, int port) {
    return Request.connect(agent, Host.parse(host), port);
  }
}
