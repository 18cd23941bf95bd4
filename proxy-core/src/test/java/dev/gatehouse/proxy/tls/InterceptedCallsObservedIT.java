package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.telemetry.Observability;
import dev.gatehouse.proxy.telemetry.OtlpReceiver;
import dev.gatehouse.proxy.telemetry.Telemetry;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans and audit lines for an intercepted tunnel through the real pipeline: the tunnel's span and
 * line, and one child span and line per request inside it (SPEC §4, issue 5).
 */
class InterceptedCallsObservedIT {
  static final String API = "origin.test";

  @RegisterExtension static final UpstreamServer origin = UpstreamServer.tls(API);

  @RegisterExtension static final TestDnsServer dns = TestDnsServer.create().map(API, "127.0.0.1");

  static final String POLICY =
      """
      version: 1
      defaults: {action: deny, mode: enforce}
      network: {allow_cidrs: [127.0.0.1/32]}
      rules:
        - id: api-read
          allow: [origin.test]
          ports: ["1-65535"]
          methods: [GET]
          paths: ["/v1/**"]
      anonymous: default
      """;

  @TempDir Path dir;

  @Test
  void interceptedTunnel_innerRequestsAreChildSpansAndLinesOfTheTunnel() throws Exception {
    Path caCert = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca-key.pem");
    CertificateAuthority.create(KeyAlgorithm.EC_P256, "it", Clock.systemUTC())
        .write(caCert, caKey, false);
    ServerConfig.Tls tls =
        new ServerConfig.Tls(
            caCert, caKey, Optional.of(origin.start().caPem()), ServerConfig.InterceptMode.AUTO);
    Path audit = dir.resolve("audit.jsonl");
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> otel = new HashMap<>();
      otel.put("otel.traces.exporter", "otlp");
      otel.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
      otel.put("otel.exporter.otlp.traces.endpoint", receiver.endpoint());
      otel.put("otel.bsp.schedule.delay", "20");
      Observability observability =
          Observability.start(
              new ServerConfig.Audit(Optional.of(audit), 1L << 20, 1),
              Clock.systemUTC(),
              Telemetry.create(otel, UnaryOperator.identity()));
      GatehouseExtension gatehouse =
          GatehouseExtension.withPolicy(POLICY, dns)
              .config(
                  c ->
                      new ServerConfig(
                          c.listen(),
                          c.admin(),
                          c.policy(),
                          c.dns(),
                          tls,
                          c.approvals(),
                          c.audit(),
                          c.limits()))
              .settings(
                  b -> {
                    try {
                      b.interceptor(Interception.fromConfig(tls, Clock.systemUTC()));
                    } catch (CaException e) {
                      throw new IllegalStateException(e);
                    }
                    b.observer(observability);
                  });
      try {
        gatehouse.start();
        RawClient plain = gatehouse.client();
        String authority = API + ":" + origin.port();
        plain.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertThat(plain.readResponse(true).status()).isEqualTo(200);
        SSLSocket socket =
            (SSLSocket)
                trusting(caCert)
                    .getSocketFactory()
                    .createSocket(plain.socket(), API, origin.port(), true);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(API)));
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        try (RawClient inner = RawClient.over(socket)) {
          inner.send("GET /v1/ok HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
          RawResponse ok = inner.readResponse();
          assertThat(ok.status()).isEqualTo(200);
          inner.send("GET /v2/no HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
          RawResponse no = inner.readResponse();
          assertThat(no.status()).isEqualTo(403);
        }
        plain.close();
      } finally {
        gatehouse.close(); // drains the tunnel, then flushes audit and spans
      }

      List<String> lines =
          Files.readAllLines(audit, StandardCharsets.UTF_8).stream()
              .filter(l -> l.contains("\"type\":\"decision\""))
              .toList();
      assertThat(lines).hasSize(3);
      String tunnel =
          lines.stream().filter(l -> l.contains("\"kind\":\"tunnel\"")).findFirst().orElseThrow();
      String tunnelId = field(tunnel, "request_id");
      assertThat(tunnel).contains("\"tls\":\"intercept\"").contains("\"method\":\"CONNECT\"");
      List<String> inner =
          lines.stream().filter(l -> l.contains("\"kind\":\"intercepted\"")).toList();
      assertThat(inner).hasSize(2);
      assertThat(inner)
          .allSatisfy(l -> assertThat(field(l, "parent_request_id")).isEqualTo(tunnelId));
      assertThat(inner)
          .anySatisfy(l -> assertThat(l).contains("\"reason\":\"rule_allow\"").contains("/v1/ok"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("\"reason\":\"path_not_allowed\"")
                      .contains("\"status\":403"));

      List<OtlpReceiver.Received> spans = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        OtlpReceiver.Received r = receiver.next(30, TimeUnit.SECONDS);
        assertThat(r).as("span %d", i + 1).isNotNull();
        spans.add(r);
      }
      OtlpReceiver.Received tunnelSpan =
          spans.stream()
              .filter(s -> tunnelId.equals(s.attributes().get("gatehouse.request_id")))
              .findFirst()
              .orElseThrow();
      String tunnelSpanId = hex(tunnelSpan.span().getSpanId().toByteArray());
      assertThat(field(tunnel, "span_id")).isEqualTo(tunnelSpanId);
      for (OtlpReceiver.Received s : spans) {
        if (s == tunnelSpan) {
          continue;
        }
        assertThat(hex(s.span().getParentSpanId().toByteArray())).isEqualTo(tunnelSpanId);
        assertThat(s.span().getTraceId()).isEqualTo(tunnelSpan.span().getTraceId());
        assertThat(s.attributes()).containsEntry("gatehouse.tls", "intercept");
      }
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String field(String line, String key) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(line);
    assertThat(m.find()).as("%s in %s", key, line).isTrue();
    return m.group(1);
  }

  private static SSLContext trusting(Path caPem) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("gatehouse", CertificateAuthority.readCertificate(caPem));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
