package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyBuilder.allow;
import static dev.gatehouse.policy.PolicyBuilder.deny;
import static dev.gatehouse.policy.PolicyBuilder.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void decide_simplePolicy_allowsAndDenies() {
    PolicyEngine e =
        PolicyBuilder.policy()
            .rule(allow("pypi", "pypi.org").methods("GET"))
            .rule(deny("paste", "**.pastebin.com"))
            .engine();
    Decision d = e.decide(get("ci", "pypi.org", 443, "/simple/"));
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.ruleId()).isEqualTo("pypi");
    assertThat(e.decide(get("ci", "x.pastebin.com", 443, "/")).reason()).isEqualTo(Reason.RULE_DENY);
    assertThat(e.decide(get("ci", "evil.example", 443, "/")).reason())
        .isEqualTo(Reason.DEFAULT_DENY);
  }
}
