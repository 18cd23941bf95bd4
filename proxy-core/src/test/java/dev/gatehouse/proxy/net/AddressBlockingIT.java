package dev.gatehouse.proxy.net;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertAddressRefused;
import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §2.3-2.4 through real sockets: every spelling of a blocked loopback address, and every name
 * that resolves to one, is refused before any connection (the canaries on 127.0.0.2, ::1 and
 * 127.0.0.1:&lt;canary port&gt; see nothing); a name the rules deny is never looked up.
 */
class AddressBlockingIT {
  // TTL 0: the proxy caches answers for their TTL, and these tests check that each name is looked
  // up
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns().ttl(0);
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  /** IP-literal spellings of canary addresses (127.0.0.2, ::1, and 0.0.0.0 → 127.0.0.1). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.2",
        "127.2",
        "127.0.2",
        "2130706434",
        "0x7f000002",
        "0x7f.0.0.2",
        "0177.0.0.2",
        "0177.0.0.02",
        "0.0.0.0",
        "0",
        "[::1]",
        "[0:0:0:0:0:0:0:1]",
        "[::ffff:127.0.0.2]",
        "[::ffff:7f00:2]",
        "[::]"
      })
  void plainHttp_toBlockedLiteral_refusedWithoutConnectOrLookup(String host) {
    assumeIpv6(host);
    try (RawClient c = gatehouse.client()) {
      assertAddressRefused(c.get(host + ":" + canary.port(), "/"));
    }
    assertThat(dns.queries()).as("an IP literal is never looked up").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.2",
        "127.2",
        "2130706434",
        "0x7f000002",
        "0177.0.0.2",
        "0.0.0.0",
        "[::1]",
        "[::ffff:127.0.0.2]"
      })
  void connect_toBlockedLiteral_refusedWithoutConnectOrLookup(String host) {
    assumeIpv6(host);
    try (RawClient c = gatehouse.client()) {
      assertAddressRefused(c.connectTo(host + ":" + canary.port()));
    }
    assertThat(dns.queries()).as("an IP literal is never looked up").isEmpty();
  }

  /** Names whose answers (A, AAAA, IPv4-mapped AAAA) are canaries, alone or beside 127.0.0.1. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        TestPolicies.CANARY_V4,
        TestPolicies.CANARY_V6,
        TestPolicies.CANARY_MAPPED,
        TestPolicies.MIXED_V4,
        TestPolicies.MIXED_V6
      })
  void plainHttp_toNameResolvingToBlockedAddress_refused(String name) {
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(c.get(name + ":" + canary.port(), "/"), 403, "private_address");
    }
    // (resolved now or earlier: the proxy's DNS cache may answer, the checks run either way)
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        TestPolicies.CANARY_V4,
        TestPolicies.CANARY_V6,
        TestPolicies.CANARY_MAPPED,
        TestPolicies.MIXED_V4,
        TestPolicies.MIXED_V6
      })
  void connect_toNameResolvingToBlockedAddress_refused(String name) {
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(c.connectTo(name + ":" + canary.port()), 403, "private_address");
    }
  }

  @Test
  void deniedName_neverResolvedNorConnected() {
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(
          c.get(TestPolicies.DENIED + ":" + upstream.port(), "/"), 403, "rule_deny");
    }
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(
          c.connectTo(TestPolicies.DENIED + ":" + upstream.port()), 403, "rule_deny");
    }
    assertThat(dns.wasQueried("denied.test")).as("DNS saw %s", dns.queries()).isFalse();
    assertThat(upstream.connections()).isZero();
  }

  @Test
  void defaultDeniedName_neverResolved() {
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(
          c.get(TestPolicies.UNLISTED + ":" + upstream.port(), "/"), 403, "default_deny");
    }
    assertThat(dns.queries()).isEmpty();
  }

  @Test
  void allowedName_resolvingToAllowedAddress_reachesUpstream() {
    try (RawClient c = gatehouse.client()) {
      RawResponse r = c.get(TestPolicies.ORIGIN + ":" + upstream.port(), "/echo");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.header(UpstreamServer.NAME_HEADER)).isEqualTo("http");
    }
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @Test
  void unresolvableName_is502UpstreamError() {
    try (RawClient c = gatehouse.client()) {
      assertGatehouseBlock(
          c.get(TestPolicies.MISSING + ":" + upstream.port(), "/"), 502, "upstream_error");
    }
  }

  @Test
  void proxyOwnListeningAddresses_refused() {
    for (int port :
        new int[] {gatehouse.proxyAddress().getPort(), gatehouse.adminAddress().getPort()}) {
      try (RawClient c = gatehouse.client()) {
        assertGatehouseBlock(c.get("127.0.0.1:" + port, "/healthz"), 403, "private_address");
      }
    }
  }

  private void assumeIpv6(String host) {
    if (host.startsWith("[")) {
      assumeTrue(canary.hasIpv6(), "no IPv6 loopback on this host");
    }
  }
}
