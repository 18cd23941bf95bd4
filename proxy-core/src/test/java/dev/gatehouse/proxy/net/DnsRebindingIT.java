package dev.gatehouse.proxy.net;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNS rebinding (SPEC §2.4: resolve once, check every address, connect only to a checked address).
 * The test DNS server answers {@code rebind.test} first with 127.0.0.1 (allowed), then with
 * 127.0.0.2 (blocked), with TTL 0. A proxy that checked one lookup and connected by another would
 * reach 127.0.0.2 on the upstream's port, where a canary socket listens.
 */
class DnsRebindingIT {
  private static final String REBIND = "rebind.test";

  @RegisterExtension
  final TestDnsServer dns =
      TestPolicies.standardDns().ttl(0).rebind(REBIND, "127.0.0.1", "127.0.0.2");

  @RegisterExtension final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  final GatehouseExtension gatehouse = GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  @Test
  void rebindingName_neverConnectsToTheSecondAnswer() throws IOException {
    try (ServerSocket trap =
        new ServerSocket(upstream.port(), 8, InetAddress.getByName("127.0.0.2"))) {
      trap.setSoTimeout(200);
      String authority = REBIND + ":" + upstream.port();
      for (int i = 0; i < 3; i++) {
        try (RawClient c = gatehouse.client()) {
          c.send(
              "GET http://"
                  + authority
                  + "/echo/"
                  + i
                  + " HTTP/1.1\r\nHost: "
                  + authority
                  + "\r\n\r\n");
          RawResponse r = c.readResponse();
          // the first lookup's 127.0.0.1 (200), or a later lookup's 127.0.0.2 refused (403)
          assertThat(r.status()).as(r.toString()).isIn(200, 403);
          if (r.status() == 403) {
            assertThat(r.header("Gatehouse-Reason")).isEqualTo("private_address");
          }
        }
      }
      assertThat(dns.wasQueried(REBIND)).isTrue();
      try (Socket s = trap.accept()) {
        throw new AssertionError(
            "the proxy connected to the rebound address " + s.getRemoteSocketAddress());
      } catch (SocketTimeoutException expected) {
        // nothing connected to 127.0.0.2
      }
    }
    assertThat(upstream.received()).allMatch(r -> r.remote().getAddress().isLoopbackAddress());
  }

  @Test
  void rebindingName_connectUsesCheckedAddressToo() throws IOException {
    try (ServerSocket trap =
        new ServerSocket(upstream.port(), 8, InetAddress.getByName("127.0.0.2"))) {
      trap.setSoTimeout(200);
      String authority = REBIND + ":" + upstream.port();
      try (RawClient c = gatehouse.client()) {
        c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        RawResponse r = c.readResponse(true);
        assertThat(r.status()).as(r.toString()).isIn(200, 403);
        if (r.status() == 200) {
          // plain HTTP inside the tunnel is decided (and resolved) per request: the upstream on
          // 127.0.0.1, or the rebound 127.0.0.2 refused
          c.send("GET /echo/tunnel HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
          RawResponse inner = c.readResponse();
          if (inner.status() == 200) {
            assertThat(inner.bodyText()).startsWith("GET /echo/tunnel");
          } else {
            assertThat(inner.header("Gatehouse-Reason"))
                .as(inner.toString())
                .isEqualTo("private_address");
          }
        }
      }
      try (Socket s = trap.accept()) {
        throw new AssertionError(
            "the proxy connected to the rebound address " + s.getRemoteSocketAddress());
      } catch (SocketTimeoutException expected) {
        // nothing connected to 127.0.0.2
      }
    }
  }
}
