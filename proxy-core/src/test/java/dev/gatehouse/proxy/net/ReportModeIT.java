package dev.gatehouse.proxy.net;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

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
 * Report mode (SPEC §2.3-2.4): rule denials are recorded but let through, while the address checks
 * stay enforced — no mode can open 127.0.0.2 or ::1.
 */
class ReportModeIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(
          TestPolicies.STANDARD.replace("mode: enforce", "mode: report"), dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static RawResponse get(String authority) {
    try (RawClient c = gatehouse.client()) {
      return c.get(authority, "/echo/report");
    }
  }

  @Test
  void ruleDenied_letThroughInReportMode() {
    RawResponse r = get(TestPolicies.DENIED + ":" + upstream.port());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(upstream.requests()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.2",
        "2130706434",
        TestPolicies.CANARY_V4,
        TestPolicies.CANARY_V6,
        TestPolicies.MIXED_V4
      })
  void addressChecks_stillEnforcedInReportMode(String host) {
    assertGatehouseBlock(get(host + ":" + canary.port()), 403, "private_address");
  }
}
