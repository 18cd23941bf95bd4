package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyBuilder.agent;
import static dev.gatehouse.policy.PolicyBuilder.allow;
import static dev.gatehouse.policy.PolicyBuilder.ask;
import static dev.gatehouse.policy.PolicyBuilder.deny;
import static dev.gatehouse.policy.PolicyBuilder.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Diagnostic;
import java.util.List;
import org.junit.jupiter.api.Test;

class LintTest {

  private static List<Diagnostic> warnings(PolicyCompiler.Compilation c) {
    return c.diagnostics().stream().filter(d -> !d.isError()).toList();
  }

  private static List<Diagnostic> errors(PolicyCompiler.Compilation c) {
    return c.diagnostics().stream().filter(Diagnostic::isError).toList();
  }

  @Test
  void compile_badPatterns_allReportedAsLocatedErrors_noEngine() {
    PolicyBuilder.Rule r1 = allow("mid", "api-*.example.com");
    PolicyBuilder.Rule r2 = allow("lead", "*x.com", "ok.example");
    PolicyBuilder.Rule r3 = deny("middle", "a.*.com");
    PolicyBuilder.Rule r4 = ask("regex", "^api\\.example\\.com$");
    PolicyBuilder.Rule r5 = allow("cidr", "10.0.0.0/33");
    PolicyBuilder.Rule r6 = allow("glob", "ok.example").paths("v1/**");
    PolicyBuilder.Rule r7 = allow("method", "ok.example").methods("GE T");
    PolicyCompiler.Compilation c =
        policy()
            .rule(r1)
            .rule(r2)
            .rule(r3)
            .rule(r4)
            .rule(r5)
            .rule(r6)
            .rule(r7)
            .allowCidrs("10.0.0/8")
            .agent(agent("ci").sourceCidrs("not-a-cidr"))
            .compile();
    assertThat(c.engine()).isEmpty();
    assertThat(c.hasErrors()).isTrue();
    List<Diagnostic> errors = errors(c);
    assertThat(errors).hasSize(9);
    assertThat(errors)
        .allSatisfy(d -> assertThat(d.location().file()).isEqualTo(PolicyBuilder.FILE));
    assertThat(errors).allSatisfy(d -> assertThat(d.location().line()).isPositive());
    errors = errors.stream().filter(d -> d.key().startsWith("rules")).toList();
    assertThat(errors).hasSize(7);
    assertThat(errors.get(0).message()).contains("api-*.example.com").contains("mid");
    assertThat(errors.get(0).key()).isEqualTo("rules[0].allow");
    assertThat(errors.get(0).location().line()).isGreaterThan(r1.location().line());
    assertThat(errors.get(1).message()).contains("*x.com");
    assertThat(errors.get(2).message()).contains("a.*.com");
    assertThat(errors.get(3).message()).contains("regular expressions");
    assertThat(errors.get(4).message()).contains("10.0.0.0/33");
    assertThat(errors.get(5).message()).contains("v1/**");
    assertThat(errors.get(6).message()).contains("GE T");
    assertThat(errors(c)).anySatisfy(d -> assertThat(d.key()).isEqualTo("network.allow_cidrs"));
    assertThat(errors(c)).anySatisfy(d -> assertThat(d.key()).isEqualTo("agents.ci.source_cidrs"));
    assertThat(errors.get(0).format()).matches("test\\.yaml:\\d+:3: error: .*");
  }

  @Test
  void lint_allowAlwaysOverriddenByDeny_warns() {
    PolicyBuilder.Rule allowRule = allow("gh", "api.github.com", "github.com");
    PolicyCompiler.Compilation c =
        policy().rule(allowRule).rule(deny("no-gh", "**.github.com")).compile();
    assertThat(c.engine()).isPresent();
    assertThat(warnings(c))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location()).isEqualTo(allowRule.location());
              assertThat(d.message())
                  .contains("gh")
                  .contains("no-gh")
                  .contains("never takes effect");
            });
  }

  @Test
  void lint_denyCoveringOnlyPartOfAllow_doesNotWarn() {
    assertThat(
            warnings(
                policy()
                    .rule(allow("gh", "github.com", "gitlab.com"))
                    .rule(deny("no-gh", "github.com"))
                    .compile()))
        .isEmpty();
    assertThat(
            warnings(
                policy()
                    .rule(allow("gh", "github.com").ports(8443))
                    .rule(deny("no-gh", "github.com"))
                    .compile()))
        .isEmpty();
    assertThat(
            warnings(
                policy()
                    .rule(allow("gh", "github.com"))
                    .rule(deny("no-post", "github.com").methods("POST"))
                    .compile()))
        .isEmpty();
    assertThat(
            warnings(
                policy()
                    .rule(allow("gh", "**.github.com"))
                    .rule(deny("no-sub", "*.github.com"))
                    .compile()))
        .isEmpty();
  }

  @Test
  void lint_denyWithBroaderWildcardOrCidr_namesBothRules() {
    assertThat(
            warnings(
                policy()
                    .rule(allow("sub", "*.a.example"))
                    .rule(deny("all", "*.example"))
                    .compile()))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.message())
                    .startsWith("rule sub (allow) never takes effect: deny rule all"));
    assertThat(
            warnings(
                policy()
                    .rule(ask("q", "10.1.2.0/24"))
                    .rule(deny("d", "10.0.0.0/8"))
                    .blockPrivate(false)
                    .compile()))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.message()).startsWith("rule q (ask) never takes effect: deny rule d"));
  }

  @Test
  void lint_agentAllowOverriddenByTopLevelDeny_warns_butNotTheOtherWayRound() {
    assertThat(
            warnings(
                policy()
                    .rule(deny("no-paste", "**.pastebin.com"))
                    .agent(agent("ci").rule(allow("paste", "pastebin.com")))
                    .compile()))
        .hasSize(1);
    assertThat(
            warnings(
                policy()
                    .rule(allow("paste", "pastebin.com"))
                    .agent(agent("ci").rule(deny("no-paste", "**.pastebin.com")))
                    .compile()))
        .isEmpty();
  }

  @Test
  void lint_rulesThatCanNeverMatch_warn() {
    PolicyCompiler.Compilation c =
        policy()
            .rule(allow("no-methods", "a.example").methods())
            .rule(allow("no-paths", "b.example").paths())
            .rule(allow("no-ports", "c.example").ports())
            .rule(allow("no-hosts"))
            .compile();
    assertThat(c.engine()).isPresent();
    assertThat(warnings(c))
        .hasSize(4)
        .allSatisfy(d -> assertThat(d.message()).contains("never match"));
    assertThat(c.engine().get().decide(PolicyBuilder.get("ci", "a.example", 443, "/")).reason())
        .isEqualTo(Reason.METHOD_NOT_ALLOWED);
  }

  @Test
  void lint_nonGlobalCidrInRule_warnsUnlessAllowCidrsCoverIt() {
    assertThat(warnings(policy().rule(allow("lan", "10.0.0.0/8")).compile()))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("10.0.0.0/8").contains("allow_cidrs"));
    assertThat(warnings(policy().rule(allow("meta", "169.254.169.254")).compile())).hasSize(1);
    assertThat(warnings(policy().rule(allow("v6", "fd00::/8")).compile())).hasSize(1);
    assertThat(warnings(policy().rule(allow("wide", "0.0.0.0/0")).compile())).hasSize(1);
    assertThat(
            warnings(policy().allowCidrs("10.0.0.0/8").rule(allow("lan", "10.1.0.0/16")).compile()))
        .isEmpty();
    assertThat(warnings(policy().rule(allow("gh", "140.82.112.0/20")).compile())).isEmpty();
    assertThat(warnings(policy().rule(deny("lan", "10.0.0.0/8")).compile())).isEmpty();
  }

  @Test
  void lint_starInAllowRule_warns() {
    assertThat(warnings(policy().rule(allow("all", "*")).compile()))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("\"*\""));
    assertThat(warnings(policy().rule(deny("all", "*")).compile())).isEmpty();
  }

  @Test
  void lint_hostBitsAndRedundantTargetsAndLowerCaseMethods_warn() {
    assertThat(warnings(policy().rule(allow("gh", "140.82.112.4/20")).compile()))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("140.82.112.0/20"));
    assertThat(warnings(policy().rule(allow("r", "**.example.com", "*.example.com")).compile()))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("*.example.com"));
    assertThat(warnings(policy().rule(allow("r", "a.example", "A.example.")).compile())).hasSize(1);
    PolicyCompiler.Compilation c = policy().rule(allow("m", "a.example").methods("get")).compile();
    assertThat(warnings(c)).singleElement().satisfies(d -> assertThat(d.message()).contains("GET"));
    assertThat(
            c.engine()
                .get()
                .decide(PolicyBuilder.get("ci", "a.example", 443, "/"))
                .action()
                .wireName())
        .isEqualTo("allow");
  }
}
