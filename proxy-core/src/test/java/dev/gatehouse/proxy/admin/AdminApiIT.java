package dev.gatehouse.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin port (SPEC §6, issue 3 item 9): {@code /healthz} open, everything else behind the
 * bearer token; with no token configured, nothing but {@code /healthz}. Metrics count decisions.
 */
class AdminApiIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  private static final String TOKEN = GatehouseExtension.ADMIN_TOKEN;

  @Test
  void healthz_openWithoutToken() {
    RawResponse r = gatehouse.admin("GET", "/healthz", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void metrics_401WithoutOrWithWrongToken() {
    assertThat(gatehouse.admin("GET", "/metrics", null).status()).isEqualTo(401);
    assertThat(gatehouse.admin("GET", "/metrics", "wrong-" + TOKEN).status()).isEqualTo(401);
    assertThat(gatehouse.admin("GET", "/metrics", TOKEN.substring(0, TOKEN.length() - 1)).status())
        .isEqualTo(401);
    RawResponse r = gatehouse.admin("GET", "/metrics", null);
    assertThat(r.toString()).doesNotContain(TOKEN);
  }

  @Test
  void otherAdminPaths_401WithoutToken() {
    assertThat(gatehouse.admin("GET", "/v1/policy", null).status()).isEqualTo(401);
    assertThat(gatehouse.admin("POST", "/v1/policy/reload", null).status()).isEqualTo(401);
    assertThat(gatehouse.admin("GET", "/v1/decisions", null).status()).isEqualTo(401);
  }

  @Test
  void recentDecisions_blockedOnly_newestFirst() {
    String allowed = TestPolicies.ORIGIN + ":" + upstream.port();
    String denied = TestPolicies.DENIED + ":" + upstream.port();
    try (RawClient c = gatehouse.client()) {
      assertThat(c.get(allowed, "/ok").status()).isEqualTo(200);
      RawResponse refusal = c.get(denied, "/no");
      assertThat(refusal.status()).isEqualTo(403);
      String requestId = refusal.header("Gatehouse-Request-Id");

      // a call is kept when it ends, which may be just after its last byte reached the client
      RawResponse blocked = decisionsOnceListed("/v1/decisions?blocked=true&limit=1", requestId);
      assertThat(blocked.status()).as(blocked.toString()).isEqualTo(200);
      assertThat(blocked.header("Content-Type")).startsWith("application/json");
      assertThat(blocked.bodyText())
          .contains("\"request_id\":\"" + requestId + "\"")
          .contains("\"decision\":\"deny\"")
          .contains("\"url\":\"http://" + denied + "/no\"")
          .doesNotContain("/ok");
      assertThat(gatehouse.admin("GET", "/v1/decisions?limit=2", TOKEN).bodyText())
          .contains("/ok")
          .contains("/no");
    }
  }

  /** GETs {@code path} until its body contains {@code expected} (at most 5 s); the last answer. */
  private static RawResponse decisionsOnceListed(String path, String expected) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    RawResponse r = gatehouse.admin("GET", path, TOKEN);
    while (!r.bodyText().contains(expected) && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      r = gatehouse.admin("GET", path, TOKEN);
    }
    return r;
  }

  @Test
  void mode_switchedToReportAndBack_live() {
    String denied = TestPolicies.DENIED + ":" + upstream.port();
    String get = "GET http://" + denied + "/m HTTP/1.1\r\nHost: " + denied + "\r\n\r\n";
    assertThat(gatehouse.admin("GET", "/v1/mode", TOKEN).bodyText())
        .contains("\"mode\":\"enforce\"")
        .contains("\"source\":\"policy\"");
    try {
      RawResponse report = gatehouse.admin("POST", "/v1/mode", TOKEN, "{\"mode\": \"report\"}");
      assertThat(report.status()).as(report.toString()).isEqualTo(200);
      assertThat(report.bodyText())
          .contains("\"mode\":\"report\"")
          .contains("\"source\":\"admin\"")
          .contains("\"previous_mode\":\"enforce\"");
      try (RawClient c = gatehouse.client()) {
        c.send(get);
        RawResponse through = c.readResponse();
        assertThat(through.status())
            .as(through.toString())
            .isEqualTo(200); // recorded, not enforced
      }
      assertThat(decisionsOnceListed("/v1/decisions?blocked=true&limit=1", "/m\"").bodyText())
          .contains("\"decision\":\"deny\"")
          .contains("\"enforced\":false");
    } finally {
      RawResponse back = gatehouse.admin("POST", "/v1/mode", TOKEN, "{\"mode\":\"policy\"}");
      assertThat(back.status()).as(back.toString()).isEqualTo(200);
      assertThat(back.bodyText()).contains("\"mode\":\"enforce\"");
    }
    try (RawClient c = gatehouse.client()) {
      c.send(get);
      assertThat(c.readResponse().status()).isEqualTo(403);
    }
  }

  @Test
  void mode_badBodyOrNoToken_refused() {
    assertThat(gatehouse.admin("POST", "/v1/mode", null, "{\"mode\":\"report\"}").status())
        .isEqualTo(401);
    assertThat(gatehouse.admin("POST", "/v1/mode", TOKEN, "{\"mode\":\"off\"}").status())
        .isEqualTo(400);
    assertThat(gatehouse.admin("POST", "/v1/mode", TOKEN, "report").status()).isEqualTo(400);
    assertThat(gatehouse.admin("GET", "/v1/mode", TOKEN).bodyText())
        .contains("\"mode\":\"enforce\"");
  }

  @Test
  void recentDecisions_badQuery_400() {
    assertThat(gatehouse.admin("GET", "/v1/decisions?limit=0", TOKEN).status()).isEqualTo(400);
    assertThat(gatehouse.admin("GET", "/v1/decisions?limit=x", TOKEN).status()).isEqualTo(400);
    assertThat(gatehouse.admin("GET", "/v1/decisions?blocked=yes", TOKEN).status()).isEqualTo(400);
    assertThat(gatehouse.admin("POST", "/v1/decisions", TOKEN).status()).isEqualTo(405);
  }

  @Test
  void metrics_withBearer_countDecisions() {
    try (RawClient c = gatehouse.client()) {
      String denied = TestPolicies.DENIED + ":" + upstream.port();
      assertThat(c.get(denied, "/").status()).isEqualTo(403);
    }
    RawResponse r = gatehouse.admin("GET", "/metrics", TOKEN);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("text/plain");
    assertThat(r.bodyText()).contains("# TYPE").contains("rule_deny");
  }

  @Test
  void policyVersion_withBearer() {
    RawResponse r = gatehouse.admin("GET", "/v1/policy", TOKEN);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.bodyText()).contains("version");
  }

  /** With no token in the environment the admin API refuses every bearer. */
  @Nested
  class WithoutAdminToken {
    @RegisterExtension
    final GatehouseExtension tokenless =
        GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns).withoutAdminToken();

    @Test
    void onlyHealthzAnswers() {
      assertThat(tokenless.admin("GET", "/healthz", null).status()).isEqualTo(200);
      // 401 or 403: no credential can open it
      assertThat(tokenless.admin("GET", "/metrics", null).status()).isIn(401, 403);
      assertThat(tokenless.admin("GET", "/metrics", "anything").status()).isIn(401, 403);
      assertThat(tokenless.admin("GET", "/metrics", "").status()).isIn(401, 403);
      assertThat(tokenless.admin("GET", "/v1/policy", "null").status()).isIn(401, 403);
    }
  }
}
