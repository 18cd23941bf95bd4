package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyBuilder.agent;
import static dev.gatehouse.policy.PolicyBuilder.allow;
import static dev.gatehouse.policy.PolicyBuilder.ask;
import static dev.gatehouse.policy.PolicyBuilder.connect;
import static dev.gatehouse.policy.PolicyBuilder.deny;
import static dev.gatehouse.policy.PolicyBuilder.get;
import static dev.gatehouse.policy.PolicyBuilder.policy;
import static dev.gatehouse.policy.PolicyBuilder.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionTest {

  private static void assertDecision(Decision d, Action action, Reason reason, String rule) {
    assertThat(d.action()).as("action of %s", d).isEqualTo(action);
    assertThat(d.reason()).as("reason of %s", d).isEqualTo(reason);
    assertThat(d.ruleId()).as("rule of %s", d).isEqualTo(rule);
  }

  @Test
  void decide_denyBeatsAskBeatsAllow_whateverTheOrder() {
    PolicyEngine all =
        policy()
            .rule(allow("a", "x.example"))
            .rule(ask("b", "x.example"))
            .rule(deny("c", "**.example"))
            .engine();
    assertDecision(
        all.decide(get("ci", "x.example", 443, "/")), Action.DENY, Reason.RULE_DENY, "c");
    PolicyEngine askAllow =
        policy().rule(ask("b", "*.example")).rule(allow("a", "x.example")).engine();
    assertDecision(
        askAllow.decide(get("ci", "x.example", 443, "/")), Action.ASK, Reason.RULE_ASK, "b");
    PolicyEngine allowAsk =
        policy().rule(allow("a", "x.example")).rule(ask("b", "*.example")).engine();
    assertDecision(
        allowAsk.decide(get("ci", "x.example", 443, "/")), Action.ASK, Reason.RULE_ASK, "b");
  }

  @Test
  void decide_allowRulesAddUp_anyOneFullMatchAllows() {
    PolicyEngine e =
        policy()
            .rule(allow("reads", "github.com").methods("GET"))
            .rule(allow("push", "github.com").methods("POST").paths("/acme/*/git-receive-pack"))
            .engine();
    assertDecision(
        e.decide(get("ci", "github.com", 443, "/x")), Action.ALLOW, Reason.RULE_ALLOW, "reads");
    assertDecision(
        e.decide(req("ci", "POST", "github.com", 443, "/acme/repo/git-receive-pack")),
        Action.ALLOW,
        Reason.RULE_ALLOW,
        "push");
    assertDecision(
        e.decide(req("ci", "POST", "github.com", 443, "/other/repo/git-receive-pack")),
        Action.DENY,
        Reason.PATH_NOT_ALLOWED,
        "default");
  }

  @Test
  void decide_noRuleMatches_defaultWithItsReason() {
    assertDecision(
        policy().engine().decide(get("ci", "a.example", 443, "/")),
        Action.DENY,
        Reason.DEFAULT_DENY,
        "default");
    assertDecision(
        policy().defaultAction(Action.ALLOW).engine().decide(get("ci", "a.example", 443, "/")),
        Action.ALLOW,
        Reason.DEFAULT_ALLOW,
        "default");
    assertDecision(
        policy().defaultAction(Action.ASK).engine().decide(get("ci", "a.example", 443, "/")),
        Action.ASK,
        Reason.DEFAULT_ASK,
        "default");
  }

  @Test
  void decide_nearMisses_reasonSaysWhatCameClosest() {
    PolicyEngine e =
        policy()
            .rule(allow("port-only", "api.example").ports(8443))
            .rule(allow("get-only", "api.example").methods("GET", "HEAD"))
            .rule(allow("v1-post", "api.example").methods("POST").paths("/v1/**"))
            .engine();
    assertDecision(
        e.decide(req("ci", "GET", "api.example", 9000, "/")),
        Action.DENY,
        Reason.PORT_NOT_ALLOWED,
        "default");
    assertDecision(
        e.decide(req("ci", "DELETE", "api.example", 443, "/v1/x")),
        Action.DENY,
        Reason.METHOD_NOT_ALLOWED,
        "default");
    assertDecision(
        e.decide(req("ci", "POST", "api.example", 443, "/v2/x")),
        Action.DENY,
        Reason.PATH_NOT_ALLOWED,
        "default");
    assertDecision(
        e.decide(req("ci", "POST", "api.example", 443, "/v1/x")),
        Action.ALLOW,
        Reason.RULE_ALLOW,
        "v1-post");
    assertDecision(
        e.decide(req("ci", "GET", "other.example", 443, "/")),
        Action.DENY,
        Reason.DEFAULT_DENY,
        "default");
  }

  @Test
  void decide_nearMissOfADenyRule_isNotReportedAsClosest() {
    PolicyEngine e = policy().rule(deny("no-post", "api.example").methods("POST")).engine();
    assertDecision(
        e.decide(req("ci", "GET", "api.example", 443, "/")),
        Action.DENY,
        Reason.DEFAULT_DENY,
        "default");
  }

  @Test
  void decide_nearMissWithDefaultAllowOrAsk_keepsDefaultReason() {
    PolicyEngine e =
        policy()
            .defaultAction(Action.ASK)
            .rule(allow("get", "api.example").methods("GET"))
            .engine();
    assertDecision(
        e.decide(req("ci", "POST", "api.example", 443, "/")),
        Action.ASK,
        Reason.DEFAULT_ASK,
        "default");
  }

  @Test
  void decide_defaultPorts_are80And443() {
    PolicyEngine e = policy().rule(allow("a", "a.example")).engine();
    assertThat(e.decide(get("ci", "a.example", 80, "/")).action()).isEqualTo(Action.ALLOW);
    assertThat(e.decide(get("ci", "a.example", 443, "/")).action()).isEqualTo(Action.ALLOW);
    assertThat(e.decide(get("ci", "a.example", 8080, "/")).reason())
        .isEqualTo(Reason.PORT_NOT_ALLOWED);
  }

  @Test
  void decide_portRange_allowsBothEndsOnly() {
    PolicyEngine e = policy().rule(allow("a", "a.example").portRange(8000, 8999)).engine();
    assertThat(e.decide(get("ci", "a.example", 8000, "/")).action()).isEqualTo(Action.ALLOW);
    assertThat(e.decide(get("ci", "a.example", 8999, "/")).action()).isEqualTo(Action.ALLOW);
    assertThat(e.decide(get("ci", "a.example", 9000, "/")).action()).isEqualTo(Action.DENY);
    assertThat(e.decide(get("ci", "a.example", 443, "/")).action()).isEqualTo(Action.DENY);
  }

  @Test
  void decide_lowerCaseMethod_methodNotAllowed() {
    PolicyEngine e = policy().rule(allow("a", "a.example").methods("GET")).engine();
    assertThat(e.decide(req("ci", "get", "a.example", 443, "/")).reason())
        .isEqualTo(Reason.METHOD_NOT_ALLOWED);
  }

  @Test
  void decide_agentRules_applyToThatAgentOnly() {
    PolicyEngine e =
        policy()
            .rule(allow("shared", "pypi.org"))
            .agent(agent("ci").rule(allow("ci-artifacts", "artifacts.internal.example").ports(443)))
            .agent(agent("dev"))
            .engine();
    assertDecision(
        e.decide(get("ci", "artifacts.internal.example", 443, "/")),
        Action.ALLOW,
        Reason.RULE_ALLOW,
        "ci-artifacts");
    assertDecision(
        e.decide(get("dev", "artifacts.internal.example", 443, "/")),
        Action.DENY,
        Reason.DEFAULT_DENY,
        "default");
    assertDecision(
        e.decide(get("ghost", "artifacts.internal.example", 443, "/")),
        Action.DENY,
        Reason.DEFAULT_DENY,
        "default");
    assertDecision(
        e.decide(get("ghost", "pypi.org", 443, "/")), Action.ALLOW, Reason.RULE_ALLOW, "shared");
    assertDecision(
        e.decide(get("ci", "pypi.org", 443, "/")), Action.ALLOW, Reason.RULE_ALLOW, "shared");
  }

  @Test
  void decide_topLevelDeny_beatsAgentAllow() {
    PolicyEngine e =
        policy()
            .rule(deny("no-paste", "**.pastebin.com"))
            .agent(agent("ci").rule(allow("paste", "pastebin.com")))
            .engine();
    assertDecision(
        e.decide(get("ci", "pastebin.com", 443, "/")), Action.DENY, Reason.RULE_DENY, "no-paste");
  }

  @Test
  void decide_agentDefaultAndMode_overrideDefaults() {
    PolicyEngine e =
        policy()
            .agent(agent("ci").defaultAction(Action.ASK))
            .agent(agent("trial").mode(Mode.REPORT))
            .agent(agent("open").defaultAction(Action.ALLOW))
            .engine();
    assertDecision(
        e.decide(get("ci", "a.example", 443, "/")), Action.ASK, Reason.DEFAULT_ASK, "default");
    Decision trial = e.decide(get("trial", "a.example", 443, "/"));
    assertDecision(trial, Action.DENY, Reason.DEFAULT_DENY, "default");
    assertThat(trial.enforced()).isFalse();
    assertThat(trial.proceeds()).isTrue();
    assertDecision(
        e.decide(get("open", "a.example", 443, "/")),
        Action.ALLOW,
        Reason.DEFAULT_ALLOW,
        "default");
    Decision other = e.decide(get("other", "a.example", 443, "/"));
    assertThat(other.enforced()).isTrue();
    assertThat(other.proceeds()).isFalse();
  }

  @Test
  void decide_reportMode_recordsDenyAndAskButDoesNotEnforce() {
    PolicyEngine e =
        policy()
            .mode(Mode.REPORT)
            .rule(deny("d", "d.example"))
            .rule(ask("q", "q.example"))
            .rule(allow("a", "a.example"))
            .agent(agent("strict").mode(Mode.ENFORCE))
            .engine();
    Decision d = e.decide(get("ci", "d.example", 443, "/"));
    assertDecision(d, Action.DENY, Reason.RULE_DENY, "d");
    assertThat(d.enforced()).isFalse();
    Decision q = e.decide(get("ci", "q.example", 443, "/"));
    assertDecision(q, Action.ASK, Reason.RULE_ASK, "q");
    assertThat(q.enforced()).isFalse();
    assertThat(e.decide(get("ci", "a.example", 443, "/")).enforced()).isTrue();
    assertThat(e.decide(get("strict", "d.example", 443, "/")).enforced()).isTrue();
  }

  @Test
  void decide_anyRequest_carriesAgentAndPolicyVersion() {
    Decision d = policy().version("abc123").engine().decide(get("ci", "a.example", 443, "/"));
    assertThat(d.agent()).isEqualTo("ci");
    assertThat(d.policyVersion()).isEqualTo("abc123");
  }

  @Test
  void decide_severalMatchingRules_decidingRuleIsTheSmallestIdNotTheFirstInFile() {
    PolicyEngine e =
        policy().rule(deny("zeta", "x.example")).rule(deny("alpha", "**.example")).engine();
    assertThat(e.decide(get("ci", "x.example", 443, "/")).ruleId()).isEqualTo("alpha");
  }

  @Test
  void decide_ipLiteralHost_matchesOnlyIpTargets() {
    PolicyEngine e =
        policy()
            .rule(allow("everything", "*"))
            .rule(allow("gh", "140.82.112.0/20"))
            .rule(allow("v6", "2606:50c0::/32"))
            .engine();
    assertDecision(
        e.decide(get("ci", "140.82.112.4", 443, "/")), Action.ALLOW, Reason.RULE_ALLOW, "gh");
    assertDecision(
        e.decide(get("ci", "0x8c527004", 443, "/")), Action.ALLOW, Reason.RULE_ALLOW, "gh");
    assertDecision(
        e.decide(get("ci", "[2606:50c0::1]", 443, "/")), Action.ALLOW, Reason.RULE_ALLOW, "v6");
    assertDecision(
        e.decide(get("ci", "127.0.0.1", 443, "/")), Action.DENY, Reason.DEFAULT_DENY, "default");
    assertDecision(
        e.decide(get("ci", "2130706433", 443, "/")), Action.DENY, Reason.DEFAULT_DENY, "default");
    assertDecision(
        e.decide(get("ci", "anything.example", 443, "/")),
        Action.ALLOW,
        Reason.RULE_ALLOW,
        "everything");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/v1/../v2",
        "/v1/%2e%2e/v2",
        "/v1%2F..%2Fv2",
        "/v1/%2F../x",
        "/v1/..%2Fv2",
        "/v1/..;/v2",
        "/v1/..\\v2",
        "/v1/%zz",
      })
  void decide_pathTraversal_neverAllowedByV1Rule(String path) {
    PolicyEngine e = policy().rule(allow("v1", "api.example").paths("/v1/**")).engine();
    Decision d = e.decide(get("ci", "api.example", 443, path));
    assertDecision(d, Action.DENY, Reason.PATH_NOT_ALLOWED, "default");
  }

  @Test
  void decide_pathWithQuery_matchesWithoutIt() {
    PolicyEngine e = policy().rule(allow("v1", "api.example").paths("/v1/**")).engine();
    assertThat(e.decide(get("ci", "api.example", 443, "/v1/x?next=/../admin")).action())
        .isEqualTo(Action.ALLOW);
  }

  @Test
  void decide_pathDenyRule_catchesEncodedVariants() {
    PolicyEngine e =
        policy()
            .rule(allow("gh", "github.com"))
            .rule(deny("no-admin", "github.com").paths("/admin/**"))
            .engine();
    assertThat(e.decide(get("ci", "github.com", 443, "/x/../admin/y")).action())
        .isEqualTo(Action.DENY);
    assertThat(e.decide(get("ci", "github.com", 443, "/%61dmin/y")).action())
        .isEqualTo(Action.DENY);
    assertThat(e.decide(get("ci", "github.com", 443, "/repo")).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void decide_cachedAndUncached_agree() {
    PolicyBuilder b =
        policy()
            .rule(allow("a", "**.example").methods("GET"))
            .rule(deny("d", "bad.example"))
            .agent(agent("ci").mode(Mode.REPORT));
    PolicyEngine cached = PolicyCompiler.compile(b.build(), 16).engine().orElseThrow();
    PolicyEngine uncached = PolicyCompiler.compile(b.build(), 0).engine().orElseThrow();
    for (int round = 0; round < 3; round++) {
      for (String host : new String[] {"x.example", "bad.example", "other.test"}) {
        for (String method : new String[] {"GET", "POST"}) {
          for (String agent : new String[] {"ci", "dev"}) {
            Request r = req(agent, method, host, 443, "/a/../b");
            assertThat(cached.decide(r)).isEqualTo(uncached.decide(r));
          }
        }
      }
    }
  }

  // ---- CONNECT ----

  @Test
  void connect_plainAllow_tunnelsWithoutInspection() {
    PolicyEngine e = policy().rule(allow("pypi", "pypi.org")).engine();
    Decision d = e.decide(connect("ci", "pypi.org", 443));
    assertDecision(d, Action.ALLOW, Reason.RULE_ALLOW, "pypi");
    assertThat(d.inspect()).isFalse();
  }

  @Test
  void connect_unconditionalDeny_denies() {
    PolicyEngine e =
        policy()
            .rule(allow("gh", "github.com").methods("GET"))
            .rule(deny("no-gh", "github.com"))
            .engine();
    Decision d = e.decide(connect("ci", "github.com", 443));
    assertDecision(d, Action.DENY, Reason.RULE_DENY, "no-gh");
    assertThat(d.inspect()).isFalse();
  }

  @Test
  void connect_ruleWithMethodsOrPaths_allowsForInspection() {
    PolicyEngine e =
        policy()
            .rule(allow("gh-read", "github.com").methods("GET"))
            .rule(allow("pypi", "pypi.org"))
            .rule(deny("no-admin", "pypi.org").paths("/admin/**"))
            .engine();
    Decision gh = e.decide(connect("ci", "github.com", 443));
    assertDecision(gh, Action.ALLOW, Reason.RULE_ALLOW, "gh-read");
    assertThat(gh.inspect()).isTrue();
    Decision pypi = e.decide(connect("ci", "pypi.org", 443));
    assertDecision(pypi, Action.ALLOW, Reason.RULE_ALLOW, "pypi");
    assertThat(pypi.inspect()).isTrue();
  }

  @Test
  void connect_onlyConditionalDenies_dependOnTheDefault() {
    PolicyBuilder b = policy().rule(deny("no-post", "api.example").methods("POST"));
    Decision closed = b.engine().decide(connect("ci", "api.example", 443));
    assertDecision(closed, Action.DENY, Reason.DEFAULT_DENY, "default");
    Decision open =
        b.defaultAction(Action.ALLOW).engine().decide(connect("ci", "api.example", 443));
    assertDecision(open, Action.ALLOW, Reason.DEFAULT_ALLOW, "default");
    assertThat(open.inspect()).isTrue();
  }

  @Test
  void connect_askWithoutConditions_asks() {
    PolicyEngine e = policy().rule(ask("npm", "*.npmjs.org")).engine();
    Decision d = e.decide(connect("ci", "registry.npmjs.org", 443));
    assertDecision(d, Action.ASK, Reason.RULE_ASK, "npm");
    assertThat(d.inspect()).isFalse();
  }

  @Test
  void connect_wrongPort_portNotAllowed() {
    PolicyEngine e = policy().rule(allow("gh", "github.com")).engine();
    assertDecision(
        e.decide(connect("ci", "github.com", 22)), Action.DENY, Reason.PORT_NOT_ALLOWED, "default");
  }

  @Test
  void connect_conditionalRuleOnOtherPort_doesNotForceInspection() {
    PolicyEngine e =
        policy()
            .rule(allow("gh", "github.com"))
            .rule(allow("gh-api", "github.com").ports(8443).methods("GET"))
            .engine();
    assertThat(e.decide(connect("ci", "github.com", 443)).inspect()).isFalse();
    assertThat(e.decide(connect("ci", "github.com", 8443)).inspect()).isTrue();
  }

  @Test
  void allowsOpaqueTunnel_mixedRules_onlyExplicitPortWithoutConditions() {
    PolicyEngine e =
        policy()
            .rule(allow("ssh", "github.com").ports(22))
            .rule(allow("web", "github.com"))
            .rule(allow("api", "api.github.com").ports(443).methods("GET"))
            .engine();
    assertThat(e.allowsOpaqueTunnel(connect("ci", "github.com", 22))).isTrue();
    assertThat(e.allowsOpaqueTunnel(connect("ci", "github.com", 443))).isFalse();
    assertThat(e.allowsOpaqueTunnel(connect("ci", "api.github.com", 443))).isFalse();
    assertThat(e.allowsOpaqueTunnel(connect("ci", "gitlab.com", 22))).isFalse();
    assertThat(e.allowsOpaqueTunnel(get("ci", "github.com", 22, "/"))).isFalse();
  }

  @Test
  void needsInterception_anyRuleWithMethodsOrPaths_true() {
    assertThat(policy().rule(allow("a", "a.example")).engine().needsInterception()).isFalse();
    assertThat(policy().rule(allow("a", "a.example").methods("GET")).engine().needsInterception())
        .isTrue();
    assertThat(
            policy()
                .agent(agent("ci").rule(deny("a", "a.example").paths("/x")))
                .engine()
                .needsInterception())
        .isTrue();
  }

  @Test
  void sourceCidrs_agentWithCidrs_compiledPerAgent() {
    PolicyEngine e = policy().agent(agent("ci").sourceCidrs("10.1.0.0/16")).engine();
    assertThat(e.sourceCidrs("ci").contains(((Host.Ip) Host.parse("10.1.2.3")).address())).isTrue();
    assertThat(e.sourceCidrs("ci").contains(((Host.Ip) Host.parse("10.2.2.3")).address()))
        .isFalse();
    assertThat(e.sourceCidrs("nobody").isEmpty()).isTrue();
  }
}
