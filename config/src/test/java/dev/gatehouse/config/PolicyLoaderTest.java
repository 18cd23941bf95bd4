package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.DefaultsModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.PortRange;
import dev.gatehouse.config.model.RuleModel;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

  static Path resource(String name) {
    try {
      return Path.of(PolicyLoaderTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> values(List<Located<String>> located) {
    return located.stream().map(Located::value).toList();
  }

  @Test
  void load_specExample_buildsExpectedModel() throws Exception {
    Path file = resource("happy/spec-policy.yaml");

    PolicyModel model = PolicyLoader.load(file);

    assertThat(model.source()).isEqualTo(file.toString());
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    assertThat(model.version()).isEqualTo(HexFormat.of().formatHex(digest).substring(0, 12));
    assertThat(model.defaults()).isEqualTo(new DefaultsModel(Action.DENY, Mode.ENFORCE));
    assertThat(model.network().blockPrivate()).isTrue();
    assertThat(model.network().allowCidrs()).isEmpty();
    assertThat(model.network().denyCidrs()).isEmpty();
    assertThat(model.anonymous()).isEqualTo(AnonymousPolicy.DENY);

    assertThat(model.rules())
        .extracting(r -> r.id().value())
        .containsExactly(
            "python-packages", "github-read", "github-push", "no-paste-sites", "new-registries");
    RuleModel python = model.rules().get(0);
    assertThat(python.action()).isEqualTo(Action.ALLOW);
    assertThat(python.idGenerated()).isFalse();
    assertThat(values(python.targets())).containsExactly("pypi.org", "files.pythonhosted.org");
    assertThat(python.targets().get(1).location()).isEqualTo(new Location(file.toString(), 11, 23));
    assertThat(python.methods().map(PolicyLoaderTest::values)).contains(List.of("GET", "HEAD"));
    assertThat(python.ports()).isEmpty();
    assertThat(python.paths()).isEmpty();
    assertThat(python.location()).isEqualTo(new Location(file.toString(), 10, 5));
    assertThat(python.id().location()).isEqualTo(new Location(file.toString(), 10, 9));

    RuleModel push = model.rules().get(2);
    assertThat(push.paths().map(PolicyLoaderTest::values))
        .contains(List.of("/acme/*/info/refs", "/acme/*/git-receive-pack"));
    assertThat(model.rules().get(3).action()).isEqualTo(Action.DENY);
    assertThat(values(model.rules().get(3).targets()))
        .containsExactly("**.pastebin.com", "**.transfer.sh");
    assertThat(model.rules().get(4).action()).isEqualTo(Action.ASK);

    assertThat(model.agents()).hasSize(1);
    AgentModel ci = model.agents().get(0);
    assertThat(ci.name().value()).isEqualTo("ci-runner");
    assertThat(ci.tokenSha256())
        .contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assertThat(ci.tokenEnv()).isEmpty();
    assertThat(values(ci.sourceCidrs())).containsExactly("10.1.0.0/16");
    assertThat(ci.mode()).contains(Mode.REPORT);
    assertThat(ci.defaultAction()).contains(Action.ASK);
    assertThat(ci.rules()).hasSize(1);
    RuleModel artifacts = ci.rules().get(0);
    assertThat(artifacts.id().value()).isEqualTo("ci-artifacts");
    assertThat(artifacts.ports())
        .hasValueSatisfying(
            ports -> assertThat(ports).extracting(Located::value).containsExactly(PortRange.of(443)));
  }

  @Test
  void read_specExample_hasNoDiagnostics() {
    PolicyLoader.Result result = PolicyLoader.read(resource("happy/spec-policy.yaml"));

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.model()).isPresent();
  }

  @Test
  void parse_minimalPolicy_usesSafeDefaults() throws Exception {
    PolicyModel model = PolicyLoader.parse("version: 1\n", "mem.yaml");

    assertThat(model.source()).isEqualTo("mem.yaml");
    assertThat(model.defaults()).isEqualTo(DefaultsModel.SAFE);
    assertThat(model.network().blockPrivate()).isTrue();
    assertThat(model.rules()).isEmpty();
    assertThat(model.agents()).isEmpty();
    assertThat(model.anonymous()).isEqualTo(AnonymousPolicy.DENY);
  }

  @Test
  void parse_ruleWithoutId_generatesIdFromLineAndWarns() throws Exception {
    String yaml = "version: 1\nrules:\n  - allow: [example.com]\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    RuleModel rule = result.model().orElseThrow().rules().get(0);
    assertThat(rule.id().value()).isEqualTo("rule-3");
    assertThat(rule.idGenerated()).isTrue();
    assertThat(result.hasErrors()).isFalse();
    assertThat(result.diagnostics())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.isError()).isFalse();
              assertThat(d.format()).startsWith("p.yaml:3:5: warning: rules[0]: rule has no id");
            });
  }

  @Test
  void parse_portsAndRanges_readsPortRanges() throws Exception {
    String yaml = "version: 1\nrules:\n  - id: r\n    allow: [a.example]\n    ports: [22, \"8000-8100\"]\n";

    RuleModel rule = PolicyLoader.parse(yaml, "p.yaml").rules().get(0);

    assertThat(rule.ports().orElseThrow())
        .extracting(Located::value)
        .containsExactly(PortRange.of(22), new PortRange(8000, 8100));
  }

  @Test
  void parse_explicitIdThatLooksGenerated_isNotMarkedGenerated() throws Exception {
    String yaml = "version: 1\nrules:\n  - id: rule-3\n    allow: [a.example]\n";

    RuleModel rule = PolicyLoader.parse(yaml, "p.yaml").rules().get(0);

    assertThat(rule.idGenerated()).isFalse();
  }

  @Test
  void load_unknownKeyAndDuplicateId_reportsBothWithModel() {
    String yaml =
        String.join(
            "\n",
            "version: 1",
            "rules:",
            "  - id: a",
            "    allow: [a.example]",
            "    methdos: [GET]",
            "  - id: a",
            "    deny: [b.example]",
            "");

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    assertThat(result.errors())
        .extracting(Diagnostic::format)
        .containsExactly(
            "p.yaml:5:5: error: rules[0]: unknown key 'methdos' (did you mean 'methods'?)",
            "p.yaml:6:9: error: rules[1].id: duplicate rule id 'a' (first defined at p.yaml:3:9)");
    assertThat(result.errors().get(0).key()).isEqualTo("rules[0].methdos");
    assertThat(result.model()).isPresent();
    assertThatThrownBy(() -> PolicyLoader.parse(yaml, "p.yaml"))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.diagnostics()).hasSize(2));
  }

  @Test
  void load_missingFile_reportsCleanError() {
    PolicyLoader.Result result = PolicyLoader.read(Path.of("/nonexistent/policy.yaml"));

    assertThat(result.model()).isEmpty();
    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::format)
        .isEqualTo("/nonexistent/policy.yaml:1:1: error: cannot read file: no such file");
  }
}
