package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls.intercept: always}: even a host whose rules name no methods or paths is intercepted.
 */
class InterceptAlwaysIT {
  static final String HOST = "plain.test";

  @RegisterExtension static final UpstreamServer origin = UpstreamServer.tls(HOST);

  @RegisterExtension static final TestDnsServer dns = TestDnsServer.create().map(HOST, "127.0.0.1");

  static final String POLICY =
      """
      version: 1
      defaults: {action: deny, mode: enforce}
      network: {allow_cidrs: [127.0.0.1/32]}
      rules:
        - id: plain
          allow: [plain.test]
          ports: ["1-65535"]
      anonymous: default
      """;

  static ServerConfig.Tls tls() {
    return new ServerConfig.Tls(
        InterceptionIT.CA_CERT,
        InterceptionIT.CA_KEY,
        Optional.of(origin.start().caPem()),
        ServerConfig.InterceptMode.ALWAYS);
  }

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(POLICY, dns)
          .config(
              c ->
                  new ServerConfig(
                      c.listen(),
                      c.admin(),
                      c.policy(),
                      c.dns(),
                      tls(),
                      c.approvals(),
                      c.audit(),
                      c.limits()))
          .settings(
              b -> {
                try {
                  b.interceptor(Interception.fromConfig(tls(), Clock.systemUTC()));
                } catch (CaException e) {
                  throw new IllegalStateException(e);
                }
              });

  @Test
  void hostWithoutMethodRules_isStillIntercepted() {
    InterceptionIT.Session s =
        InterceptionIT.open(
            gatehouse, HOST, origin.port(), InterceptionIT.trusting(InterceptionIT.gatehouseCa()));
    try (s) {
      assertThat(s.peer().getIssuerX500Principal())
          .isEqualTo(InterceptionIT.gatehouseCa().getSubjectX500Principal());
      RawResponse r = s.get("POST", "/anything", HOST + ":" + origin.port());
      assertThat(r.status()).isEqualTo(200);
    }
    assertThat(origin.lastRequest().method()).isEqualTo("POST");
  }
}
