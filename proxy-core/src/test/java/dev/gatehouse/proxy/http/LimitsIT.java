package dev.gatehouse.proxy.http;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Limits (issue 3 item 7): past the connection cap a client gets 503 with {@code Retry-After}; an
 * idle client connection is closed after the idle timeout; {@code Expect: 100-continue} works.
 */
class LimitsIT {
  private static final int MAX_CONNECTIONS = 4;

  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns)
          .limits(
              l ->
                  new ServerConfig.Limits(
                      l.maxHeaderBytes(),
                      l.connectTimeout(),
                      Duration.ofMillis(700),
                      MAX_CONNECTIONS,
                      MAX_CONNECTIONS));

  private static String origin() {
    return TestPolicies.ORIGIN + ":" + upstream.port();
  }

  private static void assertServes(RawClient c, String path) {
    RawResponse r = c.get(origin(), path);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void pastConnectionCap_is503WithRetryAfter_andCapFreesOnClose() {
    List<RawClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        RawClient c = gatehouse.client();
        held.add(c);
        assertServes(c, "/echo/held-" + i); // the connection is surely accepted and counted
      }
      try (RawClient extra = gatehouse.client()) {
        extra.send(
            "GET http://" + origin() + "/echo/extra HTTP/1.1\r\nHost: " + origin() + "\r\n\r\n");
        RawResponse r = extra.readResponse();
        assertThat(r.status()).as(r.toString()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotBlank();
        assertThat(r.header("Gatehouse-Decision")).isEqualTo("deny");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
      }
    } finally {
      held.forEach(RawClient::close);
    }
    assertThat(upstream.received()).noneMatch(r -> r.uri().contains("extra"));
    // once the held connections are gone, a new client is served again (bounded retry: the
    // proxy sees the closes asynchronously)
    boolean served = false;
    for (int attempt = 0; attempt < 50 && !served; attempt++) {
      try (RawClient c = gatehouse.client()) {
        served = c.get(origin(), "/echo/after").status() == 200;
      }
    }
    assertThat(served).isTrue();
  }

  @Test
  void idleClientConnection_closedAfterIdleTimeout() {
    try (RawClient c = gatehouse.client()) {
      assertServes(c, "/echo/then-idle");
      assertThat(c.awaitClosed(Duration.ofSeconds(5)))
          .as("closed after the 700 ms idle timeout")
          .isTrue();
    }
  }

  @Test
  void idleTunnel_closedAfterIdleTimeout() {
    try (RawClient c = gatehouse.client()) {
      c.send("CONNECT " + origin() + " HTTP/1.1\r\nHost: " + origin() + "\r\n\r\n");
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      assertThat(c.awaitClosed(Duration.ofSeconds(5)))
          .as("an idle tunnel is closed after the 700 ms idle timeout")
          .isTrue();
    }
  }

  @Test
  void expectContinue_bodyForwardedAfter100() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "POST http://"
              + origin()
              + "/echo/expect HTTP/1.1\r\nHost: "
              + origin()
              + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawResponse interim = c.readResponse();
      if (interim.status() == 100) {
        c.send("hello");
        interim = c.readResponse();
      }
      assertThat(interim.status()).as(interim.toString()).isEqualTo(200);
      assertThat(interim.bodyText()).endsWith("\n\nhello");
    }
  }

  @Test
  void expectContinue_toDeniedHost_blockedWithoutReadingBody() {
    try (RawClient c = gatehouse.client()) {
      String denied = TestPolicies.DENIED + ":" + upstream.port();
      c.send(
          "POST http://"
              + denied
              + "/ HTTP/1.1\r\nHost: "
              + denied
              + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      assertGatehouseBlock(c.readResponse(), 403, "rule_deny");
    }
  }

  /** {@code limits.max_connections_per_agent}: one agent's connections cannot starve another. */
  @Nested
  class PerAgentCap {
    @RegisterExtension
    final GatehouseExtension perAgent =
        GatehouseExtension.withPolicy(
                """
                version: 1
                defaults: {action: deny}
                network: {allow_cidrs: [127.0.0.1/32]}
                rules:
                  - id: test-origins
                    allow: ["**.test"]
                    ports: ["1-65535"]
                agents:
                  greedy:
                    token_env: GREEDY_TOKEN
                  other:
                    token_env: OTHER_TOKEN
                anonymous: deny
                """,
                dns)
            .env("GREEDY_TOKEN", "greedy-secret")
            .env("OTHER_TOKEN", "other-secret")
            .limits(
                l ->
                    new ServerConfig.Limits(
                        l.maxHeaderBytes(), l.connectTimeout(), l.idleTimeout(), 2, 100));

    private RawResponse get(RawClient c, String agent, String token) {
      String auth =
          Base64.getEncoder()
              .encodeToString((agent + ":" + token).getBytes(StandardCharsets.UTF_8));
      c.send(
          "GET http://"
              + origin()
              + "/echo/"
              + agent
              + " HTTP/1.1\r\nHost: "
              + origin()
              + "\r\nProxy-Authorization: Basic "
              + auth
              + "\r\n\r\n");
      return c.readResponse();
    }

    @Test
    void agentPastItsCap_is503_otherAgentServed() {
      try (RawClient a = perAgent.client();
          RawClient b = perAgent.client();
          RawClient c = perAgent.client();
          RawClient other = perAgent.client()) {
        assertThat(get(a, "greedy", "greedy-secret").status()).isEqualTo(200);
        assertThat(get(b, "greedy", "greedy-secret").status()).isEqualTo(200);
        RawResponse third = get(c, "greedy", "greedy-secret");
        assertThat(third.status()).as(third.toString()).isEqualTo(503);
        assertThat(third.header("Retry-After")).isNotBlank();
        assertThat(third.header("Gatehouse-Request-Id")).isNotBlank();
        assertThat(c.isClosedByPeer()).isTrue();
        assertThat(get(other, "other", "other-secret").status()).isEqualTo(200);
        // the held connections still work
        assertThat(get(a, "greedy", "greedy-secret").status()).isEqualTo(200);
      }
    }
  }
}
