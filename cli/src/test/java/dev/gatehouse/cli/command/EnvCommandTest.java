package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvCommandTest {
  @TempDir Path dir;
  Path config;

  @BeforeEach
  void files() throws Exception {
    config = dir.resolve("gatehouse.yaml");
    Files.writeString(
        config,
        "listen: 127.0.0.1:3130\n"
            + "policy: policy.yaml\n"
            + "tls: { ca_cert: ca.pem, ca_key: ca-key.pem }\n");
    Files.writeString(
        dir.resolve("policy.yaml"),
        String.join(
            "\n",
            "version: 1",
            "rules:",
            "  - id: pypi",
            "    allow: [pypi.org]",
            "agents:",
            "  ci:",
            "    token_env: CI_TOKEN",
            "  hashed:",
            "    token_sha256: \"" + "ab".repeat(32) + "\"",
            "  by-address:",
            "    source_cidrs: [127.0.0.1/32]",
            ""));
  }

  private CliRun env(Map<String, String> environment, String... args) {
    EnvCommand command = new EnvCommand();
    command.environment = environment::get;
    String[] all = new String[args.length + 2];
    all[0] = "--config";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(command, all);
  }

  @Test
  void env_agentWithTokenEnvSet_printsTokenInBothSpellingsAndWarns() {
    CliRun run = env(Map.of("CI_TOKEN", "t0k:en"), "--agent", "ci");
    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String name : new String[] {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"}) {
      assertThat(run.out()).contains("export " + name + "=http://ci:t0k%3Aen@127.0.0.1:3130\n");
    }
    assertThat(run.out())
        .contains("export no_proxy=localhost,127.0.0.1,::1\n")
        .contains("export NO_PROXY=localhost,127.0.0.1,::1\n")
        .contains("-Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=3130");
    assertThat(run.err()).contains("holds agent ci's token");
    // the JVM prints JAVA_TOOL_OPTIONS at start-up: never the token there
    String javaLine =
        run.out().lines().filter(l -> l.contains("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
    assertThat(javaLine).doesNotContain("t0k");
  }

  @Test
  void env_tokenEnvOption_referencesInsteadOfPrinting() {
    CliRun run = env(Map.of("CI_TOKEN", "secret"), "--agent", "ci", "--token-env", "MY_TOKEN");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("export HTTPS_PROXY=\"http://ci:${MY_TOKEN}@127.0.0.1:3130\"")
        .doesNotContain("secret");
    assertThat(run.err()).doesNotContain("holds");
  }

  @Test
  void env_tokenEnvUnset_referencesThePolicysVariable() {
    CliRun run = env(Map.of(), "--agent", "ci");
    assertThat(run.out())
        .contains("export https_proxy=\"http://ci:${CI_TOKEN}@127.0.0.1:3130\"")
        .contains("# Set CI_TOKEN in the sandbox");
  }

  @Test
  void env_hashedToken_referencesGatehouseToken() {
    CliRun run = env(Map.of(), "--agent", "hashed");
    assertThat(run.out()).contains("http://hashed:${GATEHOUSE_TOKEN}@127.0.0.1:3130");
  }

  @Test
  void env_agentBySourceAddress_noCredentials() {
    CliRun run = env(Map.of(), "--agent", "by-address");
    assertThat(run.out()).contains("export HTTPS_PROXY=http://127.0.0.1:3130\n");
  }

  @Test
  void env_unknownAgent_fails() {
    CliRun run = env(Map.of(), "--agent", "nobody");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no agent nobody").contains("ci, hashed, by-address");
  }

  @Test
  void env_noCa_noCaVariablesAndAWarning() {
    CliRun run = env(Map.of());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).doesNotContain("SSL_CERT_FILE").doesNotContain("trustStore");
    assertThat(run.err()).contains("no interception CA").contains("gatehouse ca init");
  }

  @Test
  void env_withCa_pointsEveryToolAtTheBundle() {
    assertThat(CliRun.gatehouse("ca", "init", "--config", config.toString()).exitCode()).isZero();
    CliRun run = env(Map.of());
    String bundle = dir.resolve("ca-bundle.pem").toAbsolutePath().toString();
    for (String[] v : SandboxEnv.CA_VARIABLES) {
      assertThat(run.out()).contains("export " + v[0] + "=" + bundle + "\n");
    }
    assertThat(run.out())
        .contains("-Djavax.net.ssl.trustStore=" + dir.resolve("ca-truststore.p12").toAbsolutePath())
        .contains("WGETRC")
        .contains("Node 20");
  }

  @Test
  void env_caPath_isWhatTheSandboxSees() {
    CliRun.gatehouse("ca", "init", "--config", config.toString());
    CliRun run = env(Map.of(), "--ca-path", "/etc/gatehouse/ca-bundle.pem");
    assertThat(run.out())
        .contains("export SSL_CERT_FILE=/etc/gatehouse/ca-bundle.pem\n")
        .contains("-Djavax.net.ssl.trustStore=/etc/gatehouse/ca-bundle-truststore.p12");
  }

  @Test
  void env_dotenvAndJson() {
    CliRun dotenv = env(Map.of(), "--agent", "ci", "--format", "dotenv");
    assertThat(dotenv.out())
        .contains("HTTPS_PROXY=\"http://ci:${CI_TOKEN}@127.0.0.1:3130\"\n")
        .contains("NO_PROXY=localhost,127.0.0.1,::1\n")
        .doesNotContain("export ");
    CliRun json = env(Map.of(), "--agent", "ci", "--format", "json");
    assertThat(json.out())
        .startsWith("{\n")
        .contains("\"HTTPS_PROXY\": \"http://ci:${CI_TOKEN}@127.0.0.1:3130\",")
        .doesNotContain("#");
    assertThat(json.err()).contains("note: ");
  }

  @Test
  void env_wildcardListen_needsProxyHost() throws Exception {
    Files.writeString(config, "listen: 0.0.0.0:3128\n");
    assertThat(env(Map.of()).exitCode()).isEqualTo(1);
    CliRun run = env(Map.of(), "--proxy-host", "gatehouse.internal");
    assertThat(run.out()).contains("export HTTP_PROXY=http://gatehouse.internal:3128\n");
  }

  @Test
  void env_badFormatOrVariable_isUsageError() {
    assertThat(env(Map.of(), "--format", "yaml").exitCode()).isEqualTo(2);
    assertThat(env(Map.of(), "--token-env", "A-B").exitCode()).isEqualTo(2);
  }

  @Test
  void sandboxEnv_shQuoting_survivesHostileValues() {
    SandboxEnv env = new SandboxEnv();
    env.add(SandboxEnv.Var.literal("A", "it's $HOME `x`"));
    env.add(new SandboxEnv.Var("B", "a\"$", java.util.Optional.of("T"), "@h"));
    assertThat(env.format(SandboxEnv.Format.SH))
        .contains("export A='it'\\''s $HOME `x`'\n")
        .contains("export B=\"a\\\"\\$${T}@h\"\n");
  }
}
