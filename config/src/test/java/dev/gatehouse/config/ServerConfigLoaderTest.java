package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigLoaderTest {
  private static final Path HOME = Path.of(System.getProperty("user.home"));
  private static final Path BASE = Path.of("/etc/gatehouse");

  @Test
  void load_specExample_buildsExpectedConfig() throws Exception {
    Path file = PolicyLoaderTest.resource("happy/spec-server.yaml");
    Path dir = file.getParent();

    ServerConfig config = ServerConfigLoader.load(file);

    ServerConfig expected =
        new ServerConfig(
            new HostPort("127.0.0.1", 3128),
            new ServerConfig.Admin(new HostPort("127.0.0.1", 3129), "GATEHOUSE_ADMIN_TOKEN"),
            Optional.of(dir.resolve("policy.yaml")),
            new ServerConfig.Dns(List.of(), Duration.ofSeconds(5)),
            new ServerConfig.Tls(
                HOME.resolve(".gatehouse/ca.pem"),
                HOME.resolve(".gatehouse/ca-key.pem"),
                Optional.empty(),
                ServerConfig.InterceptMode.AUTO),
            new ServerConfig.Approvals(
                true, Duration.ofSeconds(60), Optional.of(dir.resolve("grants.yaml"))),
            new ServerConfig.Audit(Optional.of(dir.resolve("audit.jsonl")), 100_000_000L, 10),
            new ServerConfig.Limits(
                16384, Duration.ofSeconds(10), Duration.ofSeconds(120), 512, 10_000));
    assertThat(config).isEqualTo(expected);
  }

  @Test
  void parse_emptyFile_givesDefaults() throws Exception {
    assertThat(ServerConfigLoader.parse("", "g.yaml", BASE)).isEqualTo(ServerConfig.defaults());
    assertThat(ServerConfigLoader.parse("# nothing\n", "g.yaml", BASE))
        .isEqualTo(ServerConfig.defaults());
  }

  @Test
  void parse_everyKey_readsValuesAndResolvesPaths() throws Exception {
    String yaml =
        String.join(
            "\n",
            "listen: '[::1]:0'",
            "admin: { listen: 'localhost:9000', token_env: ADMIN_TOKEN }",
            "policy: ../policies/p.yaml",
            "dns: { servers: ['127.0.0.1:5353', '[::1]:53', 127.0.0.2], timeout: 250ms }",
            "tls: { ca_cert: /abs/ca.pem, ca_key: ~/keys/ca-key.pem, upstream_ca: up.pem,"
                + " intercept: always }",
            "approvals: { enabled: false, timeout: 2m, grants_file: ~/g.yaml }",
            "audit: { file: logs/audit.jsonl, max_size: 1GiB, keep: 0 }",
            "limits:",
            "  max_header_bytes: 32KiB",
            "  connect_timeout: 1h",
            "  idle_timeout: 1d",
            "  max_connections_per_agent: 7",
            "  max_connections: 99",
            "");

    ServerConfig config = ServerConfigLoader.parse(yaml, "g.yaml", BASE);

    assertThat(config.listen()).isEqualTo(new HostPort("::1", 0));
    assertThat(config.admin())
        .isEqualTo(new ServerConfig.Admin(new HostPort("localhost", 9000), "ADMIN_TOKEN"));
    assertThat(config.policy()).contains(Path.of("/etc/policies/p.yaml"));
    assertThat(config.dns())
        .isEqualTo(
            new ServerConfig.Dns(
                List.of(
                    new HostPort("127.0.0.1", 5353),
                    new HostPort("::1", 53),
                    new HostPort("127.0.0.2", 53)),
                Duration.ofMillis(250)));
    assertThat(config.tls())
        .isEqualTo(
            new ServerConfig.Tls(
                Path.of("/abs/ca.pem"),
                HOME.resolve("keys/ca-key.pem"),
                Optional.of(BASE.resolve("up.pem")),
                ServerConfig.InterceptMode.ALWAYS));
    assertThat(config.approvals())
        .isEqualTo(
            new ServerConfig.Approvals(
                false, Duration.ofMinutes(2), Optional.of(HOME.resolve("g.yaml"))));
    assertThat(config.audit())
        .isEqualTo(
            new ServerConfig.Audit(Optional.of(BASE.resolve("logs/audit.jsonl")), 1L << 30, 0));
    assertThat(config.limits())
        .isEqualTo(
            new ServerConfig.Limits(32 * 1024, Duration.ofHours(1), Duration.ofDays(1), 7, 99));
  }

  @Test
  void parse_sizes_distinguishDecimalAndBinaryUnits() throws Exception {
    assertThat(
            ServerConfigLoader.parse("audit: {max_size: 512KB}", "g", BASE).audit().maxSizeBytes())
        .isEqualTo(512_000L);
    assertThat(
            ServerConfigLoader.parse("audit: {max_size: 512KiB}", "g", BASE).audit().maxSizeBytes())
        .isEqualTo(512L * 1024);
    assertThat(
            ServerConfigLoader.parse("audit: {max_size: 4096}", "g", BASE).audit().maxSizeBytes())
        .isEqualTo(4096L);
  }

  @Test
  void parse_unknownKeys_reportsEachWithSuggestion() {
    String yaml = "listn: 127.0.0.1:1\nlimits:\n  idle_timout: 5s\n";

    ServerConfigLoader.Result result = ServerConfigLoader.read(yaml, "g.yaml", BASE);

    assertThat(result.config()).isEmpty();
    assertThat(result.errors())
        .extracting(Diagnostic::format)
        .containsExactly(
            "g.yaml:1:1: error: unknown key 'listn' (did you mean 'listen'?)",
            "g.yaml:3:3: error: limits: unknown key 'idle_timout' (did you mean 'idle_timeout'?)");
  }

  @Test
  void parse_durationWithoutUnit_suggestsSeconds() {
    assertThatThrownBy(() -> ServerConfigLoader.parse("dns:\n  timeout: 5\n", "g.yaml", BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "g.yaml:2:12: error: dns.timeout: expected a duration like 250ms, 5s, 2m or 1h, got '5'"
                + " (a unit is required: did you mean '5s'?)");
  }
}
