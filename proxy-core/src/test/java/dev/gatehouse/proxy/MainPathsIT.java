package dev.gatehouse.proxy;

import static dev.gatehouse.proxy.testing.TestPolicies.CANARY_V4;
import static dev.gatehouse.proxy.testing.TestPolicies.DENIED;
import static dev.gatehouse.proxy.testing.TestPolicies.MISSING;
import static dev.gatehouse.proxy.testing.TestPolicies.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.reload.PolicyReloader;
import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy's main paths over real loopback sockets (the {@code proxyit} suite covers the rest,
 * with real clients): forwarding, keep-alive with a decision per request, address checks before any
 * connection, CONNECT with the SNI check, upstream failures, reload and the admin API.
 */
class MainPathsIT {
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final UpstreamServer tlsUpstream = UpstreamServer.tls(ORIGIN, TestPolicies.GIT);

  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static String get(String host, int port, String path, String extraHeaders) {
    return "GET http://"
        + host
        + ":"
        + port
        + path
        + " HTTP/1.1\r\nHost: "
        + host
        + ":"
        + port
        + "\r\n"
        + extraHeaders
        + "\r\n";
  }

  @Test
  void allowedThenDenied_onOneKeepAliveConnection_eachDecided_upstreamReused() {
    upstream.reset();
    try (RawClient c = gatehouse.client()) {
      c.send(
          get(
              ORIGIN,
              upstream.port(),
              "/echo/a",
              "Proxy-Connection: keep-alive\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"));
      RawResponse first = c.readResponse();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.bodyText())
          .startsWith("GET /echo/a\n")
          .doesNotContainIgnoringCase("Proxy-Connection")
          .doesNotContainIgnoringCase("X-Hop");
      c.send(get(DENIED, upstream.port(), "/echo/b", ""));
      RawResponse second = c.readResponse();
      assertThat(second.status()).isEqualTo(403);
      assertThat(second.header("Gatehouse-Reason")).isEqualTo("rule_deny");
      assertThat(second.header("Gatehouse-Rule")).isEqualTo("no-exfil");
      c.send(get(ORIGIN, upstream.port(), "/echo/c", ""));
      assertThat(c.readResponse().status()).isEqualTo(200);
    }
    assertThat(upstream.requests()).isEqualTo(2);
    // one pooled upstream connection at most (it may even be left from an earlier test)
    assertThat(upstream.connections()).isLessThanOrEqualTo(1);
    assertThat(dns.wasQueried(DENIED)).isFalse(); // a denied name is never resolved
  }

  @Test
  void pipelinedRequests_answeredInOrder() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          get(ORIGIN, upstream.port(), "/bytes/3000", "")
              + get(DENIED, upstream.port(), "/x", "")
              + get(ORIGIN, upstream.port(), "/echo/third", ""));
      assertThat(c.readResponse().body()).hasSize(3000);
      assertThat(c.readResponse().status()).isEqualTo(403);
      assertThat(c.readResponse().bodyText()).startsWith("GET /echo/third");
    }
  }

  @Test
  void upstreamGatehouseHeaders_areStripped() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(ORIGIN, upstream.port(), "/forge-headers", ""));
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headerNamesStartingWith("gatehouse-")).isEmpty();
    }
  }

  @Test
  void nameResolvingToAPrivateAddress_is403BeforeAnyConnection() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(CANARY_V4, canary.port(), "/", ""));
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("private_address");
    }
    assertThat(canary.hits()).isEmpty();
  }

  @Test
  void proxysOwnListener_isRefused() {
    try (RawClient c = gatehouse.client()) {
      c.send(get("127.0.0.1", gatehouse.proxyAddress().getPort(), "/", ""));
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("private_address");
    }
  }

  @Test
  void unresolvableName_is502UpstreamError() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(MISSING, 80, "/", ""));
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("upstream_error");
    }
  }

  @Test
  void upstreamReset_is502UpstreamError() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(ORIGIN, upstream.port(), "/reset", ""));
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("upstream_error");
      assertThat(r.reason()).startsWith("Gatehouse could not reach origin.test:");
    }
  }

  @Test
  void connect_tlsWithMatchingSni_isRelayed() throws Exception {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "CONNECT "
              + ORIGIN
              + ":"
              + tlsUpstream.port()
              + " HTTP/1.1\r\nHost: "
              + ORIGIN
              + ":"
              + tlsUpstream.port()
              + "\r\n\r\n");
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      try (SSLSocket tls =
          (SSLSocket)
              tlsUpstream
                  .certificates()
                  .clientContext()
                  .getSocketFactory()
                  .createSocket(c.socket(), ORIGIN, tlsUpstream.port(), true)) {
        tls.startHandshake();
        OutputStream out = tls.getOutputStream();
        out.write(
            ("GET /echo/tunnel HTTP/1.1\r\nHost: " + ORIGIN + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = tls.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(response).startsWith("HTTP/1.1 200").contains("GET /echo/tunnel");
      }
    }
  }

  @Test
  void connect_tlsWithAnotherSni_neverReachesTheUpstream() throws Exception {
    tlsUpstream.reset();
    try (RawClient c = gatehouse.client()) {
      c.send(
          "CONNECT "
              + ORIGIN
              + ":"
              + tlsUpstream.port()
              + " HTTP/1.1\r\nHost: "
              + ORIGIN
              + ":"
              + tlsUpstream.port()
              + "\r\n\r\n");
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      SSLSocket tls =
          (SSLSocket)
              tlsUpstream
                  .certificates()
                  .clientContext()
                  .getSocketFactory()
                  .createSocket(c.socket(), TestPolicies.GIT, tlsUpstream.port(), true);
      try {
        tls.startHandshake();
        throw new AssertionError("the handshake should have failed");
      } catch (java.io.IOException expected) {
        // the proxy closed the tunnel
      } finally {
        tls.close();
      }
    }
    assertThat(tlsUpstream.requests()).isZero();
  }

  @Test
  void connectToARefusedPort_is502BeforeTheTunnel() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    try (RawClient c = gatehouse.client()) {
      c.send(
          "CONNECT "
              + ORIGIN
              + ":"
              + closedPort
              + " HTTP/1.1\r\nHost: "
              + ORIGIN
              + ":"
              + closedPort
              + "\r\n\r\n");
      RawResponse r = c.readResponse(true);
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("upstream_error");
    }
  }

  @Test
  void reload_validFileSwapsThePolicy_invalidFileKeepsIt() throws Exception {
    String before = gatehouse.server().policy().version();
    try {
      gatehouse.writeInvalidPolicy(
          "version: 1\nrules:\n  - id: x\n    allow: [a.test]\n    colour: red\n");
      PolicyReloader.Result failed =
          gatehouse.server().reloader().reloadNow().get(10, TimeUnit.SECONDS);
      assertThat(failed.outcome()).isEqualTo(PolicyReloader.Outcome.FAILED);
      assertThat(failed.errors()).anySatisfy(e -> assertThat(e).contains("policy.yaml:"));
      assertThat(gatehouse.server().policy().version()).isEqualTo(before);

      gatehouse.writePolicy(TestPolicies.STANDARD.replace("id: no-exfil", "id: no-exfil-2"));
      // the watcher may get there first; either way the new policy is in force afterwards
      gatehouse.server().reloader().reloadNow().get(10, TimeUnit.SECONDS);
      assertThat(gatehouse.server().policy().model().rules())
          .extracting(r -> r.id().value())
          .contains("no-exfil-2")
          .doesNotContain("no-exfil");
      try (RawClient c = gatehouse.client()) {
        c.send(get(DENIED, upstream.port(), "/", ""));
        assertThat(c.readResponse().header("Gatehouse-Rule")).isEqualTo("no-exfil-2");
      }
    } finally {
      gatehouse.writePolicy(TestPolicies.STANDARD);
      gatehouse.server().reloader().reloadNow().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void admin_healthzOpen_metricsNeedTheToken() {
    assertThat(gatehouse.admin("GET", "/healthz", null).status()).isEqualTo(200);
    assertThat(gatehouse.admin("GET", "/metrics", null).status()).isEqualTo(401);
    assertThat(gatehouse.admin("GET", "/metrics", "wrong").status()).isEqualTo(401);
    RawResponse metrics = gatehouse.admin("GET", "/metrics", GatehouseExtension.ADMIN_TOKEN);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.bodyText())
        .contains("gatehouse_decisions_total")
        .contains("gatehouse_active_connections");
    RawResponse policy = gatehouse.admin("GET", "/v1/policy", GatehouseExtension.ADMIN_TOKEN);
    assertThat(policy.bodyText()).contains("\"version\":").contains("\"rules\":3");
  }

  @Test
  void slowUpstream_doesNotHoldOtherClients() {
    try (RawClient slow = gatehouse.client();
        RawClient fast = RawClient.connect(gatehouse.proxyAddress(), Duration.ofSeconds(5))) {
      slow.send(get(ORIGIN, upstream.port(), "/slow", ""));
      fast.send(get(ORIGIN, upstream.port(), "/echo/fast", ""));
      assertThat(fast.readResponse().status()).isEqualTo(200);
      // the slow request may still be on its way upstream: release it only once it is held
      assertThat(upstream.awaitHeld(1, Duration.ofSeconds(5))).isTrue();
      upstream.releaseSlow();
      assertThat(slow.readResponse().status()).isEqualTo(200);
    }
  }
}
