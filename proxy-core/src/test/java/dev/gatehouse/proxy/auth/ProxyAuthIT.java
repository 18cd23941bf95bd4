package dev.gatehouse.proxy.auth;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agent identity (SPEC §2, issue 3 item 4): with {@code anonymous: deny}, no credentials → 407 with
 * {@code Proxy-Authenticate}; wrong credentials → 407 {@code auth_failed}; a token by environment
 * variable or by SHA-256 identifies the agent; {@code Proxy-Authorization} never reaches the
 * upstream nor comes back in a response.
 */
class ProxyAuthIT {
  private static final String CI_TOKEN = "ci-secret-token-4f1c";
  private static final String HASHED_TOKEN = "hashed-secret-token-9a2b";

  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
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
                ci:
                  token_env: CI_AGENT_TOKEN
                hashed:
                  token_sha256: "%s"
              anonymous: deny
              """
                  .formatted(sha256(HASHED_TOKEN)),
              dns)
          .env("CI_AGENT_TOKEN", CI_TOKEN);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static String origin() {
    return TestPolicies.ORIGIN + ":" + upstream.port();
  }

  private static RawResponse get(String credentials) {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "GET http://"
              + origin()
              + "/echo/auth HTTP/1.1\r\nHost: "
              + origin()
              + "\r\n"
              + (credentials == null ? "" : "Proxy-Authorization: " + credentials + "\r\n")
              + "\r\n");
      return c.readResponse();
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void noCredentials_is407WithChallenge() {
    RawResponse r = get(null);
    assertGatehouseBlock(r, 407, "auth_required");
    assertThat(r.header("Proxy-Authenticate")).isEqualTo("Basic realm=\"gatehouse\"");
    assertThat(upstream.connections()).isZero();
    assertThat(dns.queries()).as("nothing is resolved for an unauthenticated client").isEmpty();
  }

  @Test
  void connectWithoutCredentials_is407() {
    try (RawClient c = gatehouse.client()) {
      RawResponse r = c.connectTo(origin());
      assertGatehouseBlock(r, 407, "auth_required");
      assertThat(r.header("Proxy-Authenticate")).startsWith("Basic");
    }
    assertThat(upstream.connections()).isZero();
  }

  @Test
  void wrongToken_is407AuthFailed_secretNotEchoed() {
    String wrong = "not-the-token-" + CI_TOKEN.substring(3);
    RawResponse r = get(basic("ci", wrong));
    assertGatehouseBlock(r, 407, "auth_failed");
    assertThat(r.toString()).doesNotContain(wrong).doesNotContain(CI_TOKEN);
    assertThat(upstream.connections()).isZero();
  }

  @Test
  void unknownAgent_is407AuthFailed() {
    assertGatehouseBlock(get(basic("mallory", CI_TOKEN)), 407, "auth_failed");
  }

  @Test
  void malformedCredentials_is407() {
    assertThat(get("Basic !!!not-base64!!!").status()).isEqualTo(407);
    assertThat(get("Bearer " + CI_TOKEN).status()).isEqualTo(407);
  }

  @Test
  void tokenFromEnv_authenticatesAndIsNotForwarded() {
    RawResponse r = get(basic("ci", CI_TOKEN));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(upstream.lastRequest().hasHeader("Proxy-Authorization")).isFalse();
    assertThat(upstream.lastRequest().toString()).doesNotContain(CI_TOKEN);
  }

  @Test
  void tokenBySha256_authenticates() {
    RawResponse r = get(basic("hashed", HASHED_TOKEN));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void blockedAuthenticatedRequest_namesTheAgent() {
    try (RawClient c = gatehouse.client()) {
      String denied = TestPolicies.UNLISTED + ":" + upstream.port();
      c.send(
          "GET http://"
              + denied
              + "/ HTTP/1.1\r\nHost: "
              + denied
              + "\r\nProxy-Authorization: "
              + basic("ci", CI_TOKEN)
              + "\r\n\r\n");
      RawResponse r = c.readResponse();
      assertGatehouseBlock(r, 403, "default_deny");
      assertThat(r.bodyText().lines().findFirst().orElseThrow()).contains("\"agent\":\"ci\"");
      assertThat(r.toString()).doesNotContain(CI_TOKEN);
    }
  }

  /** SPEC §1/STYLE 11: tokens never reach logs (at any level) nor metrics. */
  @Test
  void secrets_neverLoggedNorInMetrics() {
    Logger gatehouseLogger = Logger.getLogger("dev.gatehouse");
    Level before = gatehouseLogger.getLevel();
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(new SimpleFormatter().format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    gatehouseLogger.setLevel(Level.ALL);
    gatehouseLogger.addHandler(capture);
    try {
      get(basic("ci", CI_TOKEN));
      get(basic("ci", "wrong-" + CI_TOKEN));
      get(basic("hashed", HASHED_TOKEN));
      get(basic(CI_TOKEN, CI_TOKEN));
      Logger.getLogger("dev.gatehouse.proxy.auth.capture").fine("capture works");
      RawResponse metrics = gatehouse.admin("GET", "/metrics", GatehouseExtension.ADMIN_TOKEN);
      assertThat(metrics.bodyText()).doesNotContain(CI_TOKEN).doesNotContain(HASHED_TOKEN);
    } finally {
      gatehouseLogger.removeHandler(capture);
      gatehouseLogger.setLevel(before);
    }
    assertThat(logged).anyMatch(l -> l.contains("capture works")); // the capture sees FINE
    String base64 = basic("ci", CI_TOKEN).substring("Basic ".length());
    assertThat(String.join("\n", logged))
        .doesNotContain(CI_TOKEN)
        .doesNotContain(HASHED_TOKEN)
        .doesNotContain(base64);
  }

  /**
   * {@code source_cidrs} alone identifies an agent (SPEC §2: for clients that cannot send proxy
   * credentials, such as Java's HttpClient), and its own rules apply.
   */
  @Nested
  class SourceAddressIdentity {
    @RegisterExtension
    final GatehouseExtension bySource =
        GatehouseExtension.withPolicy(
            """
            version: 1
            defaults: {action: deny}
            network: {allow_cidrs: [127.0.0.1/32]}
            rules:
              - id: nothing-for-everyone
                deny: ["**.denied.test"]
            agents:
              local-runner:
                source_cidrs: [127.0.0.1/32]
                rules:
                  - id: runner-origin
                    allow: ["origin.test"]
                    ports: ["1-65535"]
            anonymous: deny
            """,
            dns);

    @Test
    void noCredentials_fromAgentSource_identifiedAndAllowed() {
      try (RawClient c = bySource.client()) {
        RawResponse r = c.get(origin(), "/echo/src");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
      }
      try (RawClient c = bySource.client()) {
        String other = "www.origin.test:" + upstream.port();
        RawResponse r = c.get(other, "/");
        assertGatehouseBlock(r, 403, "default_deny");
        assertThat(r.bodyText().lines().findFirst().orElseThrow())
            .contains("\"agent\":\"local-runner\"");
      }
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
