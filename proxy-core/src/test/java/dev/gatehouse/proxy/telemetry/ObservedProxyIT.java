package dev.gatehouse.proxy.telemetry;

import static dev.gatehouse.proxy.testing.TestPolicies.DENIED;
import static dev.gatehouse.proxy.testing.TestPolicies.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running proxy with the audit log and OTLP span export on: under a bounded concurrent load,
 * every call gives exactly one audit line and one span, joined by their ids, and a client's {@code
 * traceparent} is joined.
 */
class ObservedProxyIT {
  private static final Pattern SPAN_ID = Pattern.compile("\"span_id\":\"([0-9a-f]{16})\"");
  private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\"([^\"]+)\"");
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();

  @TempDir Path dir;

  private static String get(String host, int port, String path, String extra) {
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
        + extra
        + "\r\n";
  }

  @Test
  void concurrentLoad_exactlyOneAuditLineAndOneSpanPerCall() throws Exception {
    int clients = 4;
    int perClient = 50;
    int total = clients * perClient + 1;
    Path audit = dir.resolve("audit.jsonl");
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Map<String, String> otel = new HashMap<>();
      otel.put("otel.traces.exporter", "otlp");
      otel.put("otel.exporter.otlp.traces.protocol", "http/protobuf");
      otel.put("otel.exporter.otlp.traces.endpoint", receiver.endpoint());
      otel.put("otel.bsp.schedule.delay", "20");
      Observability observability =
          Observability.start(
              new ServerConfig.Audit(Optional.of(audit), 1L << 30, 1),
              Clock.systemUTC(),
              Telemetry.create(otel, UnaryOperator.identity()));
      GatehouseExtension gatehouse =
          GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns)
              .settings(b -> b.observer(observability));
      int[] statuses = new int[2];
      try {
        gatehouse.start();
        try (RawClient c = gatehouse.client()) {
          c.send(
              get(
                  ORIGIN,
                  upstream.port(),
                  "/echo/joined",
                  "traceparent: 00-" + TRACE_ID + "-00f067aa0ba902b7-01\r\n"));
          assertThat(c.readResponse().status()).isEqualTo(200);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    int[] counts = new int[2];
                    try (RawClient c = gatehouse.client()) {
                      for (int i = 0; i < perClient; i++) {
                        boolean allowed = i % 3 != 0;
                        c.send(get(allowed ? ORIGIN : DENIED, upstream.port(), "/echo/" + i, ""));
                        RawResponse r = c.readResponse();
                        counts[r.status() == 200 ? 0 : 1]++;
                      }
                    }
                    return counts;
                  }));
        }
        go.countDown();
        for (Future<int[]> f : results) {
          int[] c = f.get(60, TimeUnit.SECONDS);
          statuses[0] += c[0];
          statuses[1] += c[1];
        }
        pool.shutdown();
        String metrics =
            gatehouse.admin("GET", "/metrics", GatehouseExtension.ADMIN_TOKEN).bodyText();
        assertThat(counter(metrics, "gatehouse_dns_lookups_total{result=\"ok\"}")).isPositive();
        assertThat(
                counter(
                    metrics, "gatehouse_upstream_connect_duration_seconds_count{result=\"ok\"}"))
            .isPositive();
        assertThat(counter(metrics, "gatehouse_request_duration_seconds_count{kind=\"http\"}"))
            .isEqualTo(total);
        assertThat(counter(metrics, "gatehouse_audit_records_lost_total")).isZero();
        assertThat(metrics)
            .contains("gatehouse_spans_dropped_total 0\n")
            .contains("jvm_threads_live ");
      } finally {
        gatehouse.close(); // drains calls, then closes the observer: audit fsynced, spans flushed
      }
      assertThat(statuses[0] + statuses[1]).isEqualTo(clients * perClient);

      List<String> lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
      List<String> decisions =
          lines.stream().filter(l -> l.contains("\"type\":\"decision\"")).toList();
      assertThat(decisions).hasSize(total);
      Set<String> requestIds = new HashSet<>();
      Set<String> auditSpanIds = new HashSet<>();
      for (String line : decisions) {
        requestIds.add(group(REQUEST_ID, line));
        auditSpanIds.add(group(SPAN_ID, line));
      }
      assertThat(requestIds).hasSize(total);
      assertThat(auditSpanIds).hasSize(total);
      assertThat(decisions.stream().filter(l -> l.contains("\"decision\":\"deny\"")).count())
          .isEqualTo(statuses[1]);
      assertThat(decisions.get(0)).contains("\"trace_id\":\"" + TRACE_ID + "\"");
      assertThat(observability.auditSink().lost()).isZero();

      Set<String> spanIds = new HashSet<>();
      Set<String> spanRequestIds = new HashSet<>();
      String joinedTrace = null;
      for (int i = 0; i < total; i++) {
        OtlpReceiver.Received r = receiver.next(30, TimeUnit.SECONDS);
        assertThat(r).as("span %d of %d", i + 1, total).isNotNull();
        spanIds.add(HexFormat.of().formatHex(r.span().getSpanId().toByteArray()));
        spanRequestIds.add(r.attributes().get("gatehouse.request_id"));
        if ("/echo/joined".equals(path(r.attributes().get("url.full")))) {
          joinedTrace = HexFormat.of().formatHex(r.span().getTraceId().toByteArray());
        }
      }
      assertThat(receiver.next(0, TimeUnit.SECONDS)).as("no extra span").isNull();
      assertThat(spanIds).isEqualTo(auditSpanIds);
      assertThat(spanRequestIds).isEqualTo(requestIds);
      assertThat(joinedTrace).isEqualTo(TRACE_ID);
      assertThat(observability.telemetry().spansDropped()).isZero();
      assertThat(observability.telemetry().spansExported()).isEqualTo(total);
    }
  }

  private static long counter(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError(series + " not in\n" + scrape);
  }

  private static String path(String url) {
    int i = url == null ? -1 : url.indexOf('/', url.indexOf("//") + 2);
    return i < 0 ? null : url.substring(i);
  }

  private static String group(Pattern p, String line) {
    Matcher m = p.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return m.group(1);
  }
}
