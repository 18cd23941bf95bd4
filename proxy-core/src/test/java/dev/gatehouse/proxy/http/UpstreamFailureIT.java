package dev.gatehouse.proxy.http;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upstream failures (SPEC §3): reset and refused → 502, an upstream that does not answer within the
 * configured timeout → 504, each with reason {@code upstream_error} so an agent can tell them from
 * policy blocks. The proxy's timeouts are set to about a second here; nothing sleeps.
 */
class UpstreamFailureIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns)
          .limits(
              l ->
                  new dev.gatehouse.config.model.ServerConfig.Limits(
                      l.maxHeaderBytes(),
                      Duration.ofMillis(500),
                      Duration.ofMillis(800),
                      l.maxConnectionsPerAgent(),
                      l.maxConnections()));

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static RawResponse get(String authority, String path) {
    try (RawClient c = gatehouse.client()) {
      return c.get(authority, path);
    }
  }

  @Test
  void upstreamReset_is502UpstreamError() {
    upstream.mode(UpstreamServer.Mode.RESET);
    assertGatehouseBlock(
        get(TestPolicies.ORIGIN + ":" + upstream.port(), "/"), 502, "upstream_error");
    assertThat(upstream.requests()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void upstreamRefused_is502UpstreamError() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort(); // free again once closed: nothing listens there
    }
    assertGatehouseBlock(get(TestPolicies.ORIGIN + ":" + closedPort, "/"), 502, "upstream_error");
  }

  /**
   * A listener whose accept queue is full drops SYNs, so a connect to it hangs: on loopback, the
   * only way to make the proxy's connect time out without sending a packet anywhere else.
   */
  @Test
  void upstreamConnectTimeout_is504UpstreamError() throws IOException {
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        boolean queueFull = false;
        for (int i = 0; i < 8 && !queueFull; i++) {
          Socket s = new Socket();
          fillers.add(s);
          try {
            s.connect(full.getLocalSocketAddress(), 200);
          } catch (SocketTimeoutException e) {
            queueFull = true;
          }
        }
        Assumptions.assumeTrue(queueFull, "this kernel does not drop SYNs at a full accept queue");
        RawResponse r = get(TestPolicies.ORIGIN + ":" + full.getLocalPort(), "/");
        assertGatehouseBlock(r, 504, "upstream_error");
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void upstreamSlowPastTimeout_is504UpstreamError() {
    upstream.mode(UpstreamServer.Mode.SLOW).slowDelay(Duration.ofSeconds(20));
    RawResponse r = get(TestPolicies.ORIGIN + ":" + upstream.port(), "/");
    assertGatehouseBlock(r, 504, "upstream_error");
  }

  @Test
  void afterUpstreamErrors_sameClientConnectionKeepsWorking() {
    try (RawClient c = gatehouse.client()) {
      String a = TestPolicies.ORIGIN + ":" + upstream.port();
      RawResponse failed = c.get(a, "/reset");
      assertGatehouseBlock(failed, 502, "upstream_error");
      if (!failed.connectionClose()) {
        assertThat(c.get(a, "/echo/ok").status()).isEqualTo(200);
      }
    }
  }
}
