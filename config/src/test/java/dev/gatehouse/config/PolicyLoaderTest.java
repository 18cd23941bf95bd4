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
            ports ->
                assertThat(ports).extracting(Located::value).containsExactly(PortRange.of(443)));
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
    String yaml =
        "version: 1\nrules:\n  - id: r\n    allow: [a.example]\n    ports: [22, \"8000-8100\"]\n";

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
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.diagnostics()).hasSize(2));
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

  @Test
  void read_fileWithErrors_keepsUsablePartsInModel() {
    String yaml =
        String.join(
            "\n",
            "version: 1",
            "network:",
            "  allow_cidrs: [10.20.0.0/16]",
            "rules:",
            "  - id: good",
            "    allow: ['api-*.example.com']",
            "    ports: [443, 70000]",
            "  - id: broken",
            "    allow: [a.example]",
            "    deny: [b.example]",
            "agents:",
            "  ci:",
            "    token_sha256: not-a-hash",
            "    rules:",
            "      - id: ci-only",
            "        allow: [c.example]",
            "");

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    assertThat(result.errors()).hasSize(3);
    PolicyModel model = result.model().orElseThrow();
    assertThat(model.network().allowCidrs())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.value()).isEqualTo("10.20.0.0/16");
              assertThat(c.location()).isEqualTo(new Location("p.yaml", 3, 17));
            });
    RuleModel good = model.rules().get(0);
    assertThat(model.rules()).hasSize(1);
    assertThat(values(good.targets())).containsExactly("api-*.example.com");
    assertThat(good.targets().get(0).location()).isEqualTo(new Location("p.yaml", 6, 13));
    assertThat(good.ports().orElseThrow())
        .extracting(Located::value)
        .containsExactly(PortRange.of(443));
    AgentModel ci = model.agents().get(0);
    assertThat(ci.tokenSha256()).isEmpty();
    assertThat(ci.rules()).extracting(r -> r.id().value()).containsExactly("ci-only");
  }

  @Test
  void read_diagnostics_comeInFileOrder() {
    String yaml =
        "version: 1\nrules:\n  - id: a\n    allow: [x]\n    allow: [y]\n    bogus: 1\nzzz: 1\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    assertThat(result.diagnostics()).extracting(d -> d.location().line()).containsExactly(5, 6, 7);
  }

  @Test
  void load_warningsOnly_returnsModel() throws Exception {
    Path file = resource("errors/missing-id.yaml");

    PolicyModel model = PolicyLoader.load(file);

    assertThat(model.rules()).singleElement().satisfies(r -> assertThat(r.idGenerated()).isTrue());
  }

  @Test
  void parse_agentWithTokenEnvAndCidrs_readsIdentity() throws Exception {
    String yaml =
        "version: 1\nanonymous: default\nagents:\n  build:\n    token_env: BUILD_TOKEN\n"
            + "    source_cidrs: [127.0.0.0/8, '::1/128']\n  ci:\n    token_sha256: "
            + "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\n";

    PolicyModel model = PolicyLoader.parse(yaml, "p.yaml");

    assertThat(model.anonymous()).isEqualTo(AnonymousPolicy.DEFAULT);
    AgentModel build = model.agents().get(0);
    assertThat(build.tokenEnv()).contains("BUILD_TOKEN");
    assertThat(values(build.sourceCidrs())).containsExactly("127.0.0.0/8", "::1/128");
    assertThat(build.mode()).isEmpty();
    assertThat(build.defaultAction()).isEmpty();
    assertThat(build.location()).isEqualTo(new Location("p.yaml", 4, 3));
    assertThat(model.agents().get(1).tokenSha256())
        .contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  @Test
  void parse_yaml11Booleans_keptAsWrittenInHostLists() throws Exception {
    String yaml = "version: 1\nrules:\n  - id: norway\n    allow: [no, on, yes.example]\n";

    RuleModel rule = PolicyLoader.parse(yaml, "p.yaml").rules().get(0);

    assertThat(values(rule.targets())).containsExactly("no", "on", "yes.example");
  }

  @Test
  void parse_windowsLineEndings_sameModelAndLocations() throws Exception {
    String yaml = "version: 1\r\nrules:\r\n  - id: a\r\n    allow: [x.example]\r\n";

    RuleModel rule = PolicyLoader.parse(yaml, "p.yaml").rules().get(0);

    assertThat(rule.targets().get(0).location()).isEqualTo(new Location("p.yaml", 4, 13));
  }

  @Test
  void load_unknownKey_reportsLocationAndSuggestion() {
    Path file = resource("errors/unknown-key.yaml");

    assertThatThrownBy(() -> PolicyLoader.load(file))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.diagnostics())
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.format())
                              .isEqualTo(
                                  file
                                      + ":6:5: error: rules[0]: unknown key 'methdos' (did you"
                                      + " mean 'methods'?)");
                          assertThat(d.key()).isEqualTo("rules[0].methdos");
                        }));
  }

  @Test
  void load_duplicateKey_namesTheFirstOccurrence() {
    PolicyLoader.Result result = PolicyLoader.read(resource("errors/duplicate-key.yaml"));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location().line()).isEqualTo(6);
              assertThat(d.key()).isEqualTo("rules[0].allow");
              assertThat(d.message())
                  .isEqualTo("rules[0]: duplicate key 'allow' (first defined at line 5, column 5)");
            });
    // The first occurrence wins in the partial model; the second never reaches the engine.
    assertThat(result.model().orElseThrow().rules().get(0).targets())
        .extracting(Located::value)
        .containsExactly("pypi.org");
  }
}
