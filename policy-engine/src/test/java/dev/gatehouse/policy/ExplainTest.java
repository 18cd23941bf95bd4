package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyBuilder.agent;
import static dev.gatehouse.policy.PolicyBuilder.allow;
import static dev.gatehouse.policy.PolicyBuilder.connect;
import static dev.gatehouse.policy.PolicyBuilder.deny;
import static dev.gatehouse.policy.PolicyBuilder.policy;
import static dev.gatehouse.policy.PolicyBuilder.req;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.policy.explain.Explanation;
import dev.gatehouse.policy.explain.Explanation.RuleTrace;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainTest {
  private final PolicyEngine engine =
      policy()
          .rule(allow("pypi", "pypi.org").methods("GET", "HEAD"))
          .rule(allow("gh-push", "github.com").methods("POST").paths("/acme/*/git-receive-pack"))
          .rule(allow("alt-port", "github.com").ports(8443))
          .rule(deny("paste", "**.pastebin.com"))
          .agent(agent("ci").rule(allow("ci-only", "artifacts.example")))
          .agent(agent("trial").mode(Mode.REPORT))
          .engine();

  private static RuleTrace rule(Explanation e, String id) {
    return e.rules().stream().filter(r -> r.ruleId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void explain_someRulesMiss_everyCandidateWithWhyNot() {
    Explanation e = engine.explain(req("ci", "POST", "github.com", 443, "/acme/x/info"), List.of());
    assertThat(e.decision().reason()).isEqualTo(Reason.PATH_NOT_ALLOWED);
    assertThat(e.rules())
        .extracting(RuleTrace::ruleId)
        .containsExactly("pypi", "gh-push", "alt-port", "paste", "ci-only");
    assertThat(rule(e, "pypi").matched()).isFalse();
    assertThat(rule(e, "pypi").miss()).isEmpty();
    assertThat(rule(e, "pypi").why()).contains("github.com").contains("pypi.org");
    assertThat(rule(e, "gh-push").miss()).contains(Reason.PATH_NOT_ALLOWED);
    assertThat(rule(e, "gh-push").why())
        .contains("/acme/x/info")
        .contains("/acme/*/git-receive-pack");
    assertThat(rule(e, "alt-port").miss()).contains(Reason.PORT_NOT_ALLOWED);
    assertThat(rule(e, "alt-port").why()).contains("443").contains("8443");
    assertThat(rule(e, "ci-only").scope()).isEqualTo("ci");
    assertThat(rule(e, "pypi").scope()).isEqualTo("policy");
  }

  @Test
  void explain_methodMiss_namesTheMethods() {
    Explanation e = engine.explain(req("dev", "DELETE", "pypi.org", 443, "/"), List.of());
    assertThat(e.decision().reason()).isEqualTo(Reason.METHOD_NOT_ALLOWED);
    assertThat(rule(e, "pypi").why()).contains("DELETE").contains("[GET, HEAD]");
    assertThat(e.rules()).extracting(RuleTrace::ruleId).doesNotContain("ci-only");
  }

  @Test
  void explain_matchedRule_andDecisionAgreeWithDecide() {
    Request r = req("ci", "POST", "github.com", 443, "/acme/x/git-receive-pack");
    Explanation e = engine.explain(r, List.of());
    assertThat(rule(e, "gh-push").matched()).isTrue();
    assertThat(e.decision()).isEqualTo(engine.decide(r));
  }

  @Test
  void explain_privateSimulatedAddress_turnsAllowIntoDeny() throws Exception {
    Request r = req("dev", "GET", "pypi.org", 443, "/simple/");
    Explanation e =
        engine.explain(
            r, List.of(InetAddress.getByName("151.101.0.223"), InetAddress.getByName("10.0.0.7")));
    assertThat(e.addresses()).hasSize(2);
    assertThat(e.addresses().get(0).blocked()).isEmpty();
    assertThat(e.addresses().get(1).blocked()).contains(Reason.PRIVATE_ADDRESS);
    assertThat(e.decision().action()).isEqualTo(Action.DENY);
    assertThat(e.decision().reason()).isEqualTo(Reason.PRIVATE_ADDRESS);
    assertThat(e.decision().ruleId()).isEqualTo("pypi");
    assertThat(e.decision().enforced()).isTrue();
  }

  @Test
  void explain_addressChecks_notRelaxedByReportMode() throws Exception {
    Explanation e =
        engine.explain(
            req("trial", "GET", "pypi.org", 443, "/"), List.of(InetAddress.getByName("127.0.0.1")));
    assertThat(e.decision().reason()).isEqualTo(Reason.PRIVATE_ADDRESS);
    assertThat(e.decision().enforced()).isTrue();
  }

  @Test
  void explain_ipLiteralHost_isAddressCheckedWithoutSimulation() {
    PolicyEngine e = policy().rule(allow("lan", "10.0.0.0/8")).engine();
    Explanation x = e.explain(req("ci", "GET", "10.1.2.3", 80, "/"), List.of());
    assertThat(x.addresses())
        .singleElement()
        .satisfies(a -> assertThat(a.blocked()).contains(Reason.PRIVATE_ADDRESS));
    assertThat(x.decision().reason()).isEqualTo(Reason.PRIVATE_ADDRESS);
    assertThat(rule(x, "lan").matched()).isTrue();
  }

  @Test
  void explain_ruleDeny_staysRuleDenyWhateverTheAddress() throws Exception {
    Explanation e =
        engine.explain(
            req("ci", "GET", "x.pastebin.com", 443, "/"),
            List.of(InetAddress.getByName("10.0.0.1")));
    assertThat(e.decision().reason()).isEqualTo(Reason.RULE_DENY);
  }

  @Test
  void explain_connect_saysMethodsArePerInnerRequest() {
    Explanation e = engine.explain(connect("ci", "github.com", 443), List.of());
    assertThat(e.decision().inspect()).isTrue();
    assertThat(rule(e, "gh-push").matched()).isTrue();
    assertThat(rule(e, "gh-push").why()).contains("inside");
  }

  @Test
  void explain_ipLiteralVsNamePattern_saysWhy() {
    Explanation e = engine.explain(req("ci", "GET", "127.0.0.1", 443, "/"), List.of());
    assertThat(rule(e, "pypi").why()).contains("IP literal");
  }
}
