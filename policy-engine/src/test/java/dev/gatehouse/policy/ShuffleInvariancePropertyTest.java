package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.RuleModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** SPEC §2.3: the order of rules in the file never changes a decision (rule id included). */
class ShuffleInvariancePropertyTest {

  private static final String[] HOSTS = {
    "a.example", "b.a.example", "example", "c.test", "10.0.0.1", "140.82.112.4", "[2001:db8::1]"
  };
  private static final String[] TARGETS = {
    "a.example",
    "*.example",
    "**.example",
    "**.a.example",
    "*",
    "c.test",
    "10.0.0.0/8",
    "140.82.112.0/20",
    "2001:db8::/32",
    "example"
  };
  private static final String[] METHODS = {"GET", "POST", "DELETE"};
  private static final String[] PATHS = {"/", "/v1/x", "/v2/y", "/v1/../v2/y", "/a%2Fb"};

  @Provide
  Arbitrary<List<PolicyBuilder.Rule>> rules() {
    Arbitrary<PolicyBuilder.Rule> rule =
        Combinators.combine(
                Arbitraries.of(Action.values()),
                Arbitraries.of(TARGETS).list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(0, 1, 2, 3),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2))
            .as(
                (action, targets, portKind, methodKind, pathKind) -> {
                  String id =
                      "r"
                          + Math.abs(
                              (action + "" + targets + portKind + methodKind + pathKind)
                                  .hashCode());
                  PolicyBuilder.Rule r =
                      switch (action) {
                        case ALLOW -> PolicyBuilder.allow(id, targets.toArray(String[]::new));
                        case DENY -> PolicyBuilder.deny(id, targets.toArray(String[]::new));
                        case ASK -> PolicyBuilder.ask(id, targets.toArray(String[]::new));
                      };
                  if (portKind == 1) {
                    r.ports(8443);
                  } else if (portKind == 2) {
                    r.ports(443, 8443);
                  }
                  if (methodKind == 1) {
                    r.methods("GET");
                  } else if (methodKind == 2) {
                    r.methods("GET", "POST");
                  }
                  if (pathKind == 1) {
                    r.paths("/v1/**");
                  } else if (pathKind == 2) {
                    r.paths("/v2/*", "/a%2Fb");
                  }
                  return r;
                });
    return rule.list().ofMaxSize(12);
  }

  @Property(tries = 150)
  void decide_shuffledRules_sameDecisions(
      @ForAll("rules") List<PolicyBuilder.Rule> top,
      @ForAll("rules") List<PolicyBuilder.Rule> agentRules,
      @ForAll long seed) {
    PolicyBuilder.Agent agent = PolicyBuilder.agent("ci");
    agentRules.forEach(agent::rule);
    PolicyModel original =
        PolicyBuilder.policy()
            .rules(top.stream().map(PolicyBuilder.Rule::build).toList())
            .agent(agent)
            .build();
    Random random = new Random(seed);
    List<RuleModel> shuffledTop = new ArrayList<>(original.rules());
    Collections.shuffle(shuffledTop, random);
    AgentModel a = original.agents().get(0);
    List<RuleModel> shuffledAgent = new ArrayList<>(a.rules());
    Collections.shuffle(shuffledAgent, random);
    PolicyModel shuffled =
        new PolicyModel(
            original.source(),
            original.version(),
            original.defaults(),
            original.network(),
            shuffledTop,
            List.of(
                new AgentModel(
                    a.name(),
                    a.tokenSha256(),
                    a.tokenEnv(),
                    a.sourceCidrs(),
                    a.mode(),
                    a.defaultAction(),
                    shuffledAgent,
                    a.location())),
            original.anonymous());

    PolicyEngine e1 = PolicyCompiler.compile(original, 0).engine().orElseThrow();
    PolicyEngine e2 = PolicyCompiler.compile(shuffled, 0).engine().orElseThrow();
    for (String agentName : new String[] {"ci", "other"}) {
      for (String host : HOSTS) {
        for (int port : new int[] {443, 8443}) {
          Request c = PolicyBuilder.connect(agentName, host, port);
          assertThat(e2.decide(c)).as("%s", c).isEqualTo(e1.decide(c));
          for (String method : METHODS) {
            for (String path : PATHS) {
              Request r = PolicyBuilder.req(agentName, method, host, port, path);
              assertThat(e2.decide(r)).as("%s", r).isEqualTo(e1.decide(r));
            }
          }
        }
      }
    }
  }
}
