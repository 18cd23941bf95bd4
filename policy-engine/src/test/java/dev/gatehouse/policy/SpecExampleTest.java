package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.PolicyModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy of SPEC §2, read by the config loader and compiled: YAML to decision end to end. */
class SpecExampleTest {
  private static final String YAML =
      """
      version: 1
      defaults:
        action: deny
        mode: enforce
      network:
        block_private: true
        allow_cidrs: []
        deny_cidrs: []
      rules:
        - id: python-packages
          allow: [pypi.org, files.pythonhosted.org]
          methods: [GET, HEAD]
        - id: github-read
          allow: ["**.github.com", "**.githubusercontent.com"]
          methods: [GET, HEAD]
        - id: github-push
          allow: [github.com]
          methods: [GET, POST]
          paths: ["/acme/*/info/refs", "/acme/*/git-receive-pack"]
        - id: no-paste-sites
          deny: ["**.pastebin.com", "**.transfer.sh"]
        - id: new-registries
          ask: ["*.npmjs.org"]
      agents:
        ci-runner:
          token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
          source_cidrs: [10.1.0.0/16]
          mode: report
          default: ask
          rules:
            - id: ci-artifacts
              allow: [artifacts.internal.example]
              ports: [443]
      anonymous: deny
      """;

  private static final PolicyEngine ENGINE = compile(YAML);

  private static PolicyEngine compile(String yaml) {
    PolicyLoader.Result read = PolicyLoader.read(yaml, "spec.yaml");
    assertThat(read.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
    PolicyModel model = read.model().orElseThrow();
    PolicyCompiler.Compilation c = PolicyCompiler.compile(model);
    assertThat(c.diagnostics()).isEmpty();
    return c.engine().orElseThrow();
  }

  @ParameterizedTest(name = "{0} {1} {2}{3} -> {4} {5} {6}")
  @CsvSource({
    "dev, GET, pypi.org, /simple/requests/, allow, rule_allow, python-packages",
    "dev, POST, pypi.org, /legacy/, deny, method_not_allowed, default",
    "dev, GET, raw.githubusercontent.com, /a/b, allow, rule_allow, github-read",
    "dev, GET, github.com, /acme/x, allow, rule_allow, github-read",
    "dev, POST, github.com, /acme/repo/git-receive-pack, allow, rule_allow, github-push",
    "dev, POST, github.com, /evil/repo/git-receive-pack, deny, path_not_allowed, default",
    "dev, POST, github.com, /acme/repo/../../evil/repo/git-receive-pack, deny, path_not_allowed,"
        + " default",
    "dev, GET, pastebin.com, /, deny, rule_deny, no-paste-sites",
    "dev, GET, registry.npmjs.org, /left-pad, ask, rule_ask, new-registries",
    "dev, GET, npmjs.org, /, deny, default_deny, default",
    "dev, GET, artifacts.internal.example, /, deny, default_deny, default",
    "ci-runner, GET, artifacts.internal.example, /, allow, rule_allow, ci-artifacts",
    "ci-runner, GET, example.org, /, ask, default_ask, default",
    "ci-runner, GET, x.pastebin.com, /, deny, rule_deny, no-paste-sites",
  })
  void specExample_decisions(
      String agent,
      String method,
      String host,
      String path,
      String action,
      String reason,
      String rule) {
    Decision d = ENGINE.decide(PolicyBuilder.req(agent, method, host, 443, path));
    assertThat(d.action().wireName()).isEqualTo(action);
    assertThat(d.reason().wireName()).isEqualTo(reason);
    assertThat(d.ruleId()).isEqualTo(rule);
  }

  @Test
  void specExample_reportModeAgent_doesNotEnforce() {
    Decision d = ENGINE.decide(PolicyBuilder.get("ci-runner", "x.pastebin.com", 443, "/"));
    assertThat(d.action()).isEqualTo(Action.DENY);
    assertThat(d.enforced()).isFalse();
  }

  @Test
  void specExample_connect_inspectsHostsWithMethodRules() {
    assertThat(ENGINE.needsInterception()).isTrue();
    assertThat(ENGINE.decide(PolicyBuilder.connect("dev", "github.com", 443)).inspect()).isTrue();
    assertThat(ENGINE.decide(PolicyBuilder.connect("dev", "pypi.org", 443)).inspect()).isTrue();
    Decision npm = ENGINE.decide(PolicyBuilder.connect("dev", "registry.npmjs.org", 443));
    assertThat(npm.action()).isEqualTo(Action.ASK);
    assertThat(npm.inspect()).isFalse();
  }

  @Test
  void compile_yamlWithBadPatterns_everyErrorLocatedInTheFile() {
    String yaml =
        """
        version: 1
        rules:
          - id: a
            allow: ["api-*.example.com", "ok.example"]
          - id: b
            deny: ["a.*.com"]
        """;
    PolicyModel model = PolicyLoader.read(yaml, "bad.yaml").model().orElseThrow();
    List<Diagnostic> errors =
        PolicyCompiler.compile(model).diagnostics().stream().filter(Diagnostic::isError).toList();
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).format()).startsWith("bad.yaml:4:").contains("api-*.example.com");
    assertThat(errors.get(1).format()).startsWith("bad.yaml:6:").contains("a.*.com");
  }
}
