package dev.gatehouse.cli.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Benchmark input (not a test): writes N audit decision lines shaped like the proxy's, a mix of
 * allowed (70%), denied and asked calls over 200 agents x 5,000 hosts across one day. See the
 * "Report" section of BENCHMARKS.md for the command.
 *
 * <p>{@code java -cp ... dev.gatehouse.cli.report.GenerateAuditLines OUT.jsonl 1000000}
 */
public final class GenerateAuditLines {
  private GenerateAuditLines() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    long t0 = Instant.parse("2026-11-26T00:00:00Z").toEpochMilli();
    String[] decisions = {"allow", "deny", "ask"};
    String[] reasons = {"rule_allow", "default_deny", "default_ask", "method_not_allowed"};
    StringBuilder b = new StringBuilder(512);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (long i = 0; i < n; i++) {
        int roll = rnd.nextInt(100);
        int d = roll < 70 ? 0 : roll < 95 ? 1 : 2;
        String reason = d == 0 ? reasons[0] : d == 2 ? reasons[2] : reasons[1 + 2 * rnd.nextInt(2)];
        String host = "h" + rnd.nextInt(5_000) + ".example.com";
        String agent = "agent-" + rnd.nextInt(200);
        long ts = t0 + i * 86_400_000L / n;
        b.setLength(0);
        b.append("{\"ts\":\"");
        b.append(Instant.ofEpochMilli(ts).toString().replace("Z", ts % 1000 == 0 ? ".000Z" : "Z"));
        b.append("\",\"type\":\"decision\",\"request_id\":\"r").append(i);
        b.append("\",\"parent_request_id\":null,\"kind\":\"http\",\"agent\":\"").append(agent);
        b.append("\",\"client_address\":\"10.1.2.3\",\"method\":\"GET\",\"url\":\"https://");
        b.append(host).append("/pkg/").append(rnd.nextInt(1000)).append("\",\"host\":\"");
        b.append(host).append("\",\"port\":443,\"decision\":\"").append(decisions[d]);
        b.append("\",\"reason\":\"").append(reason).append("\",\"rule\":\"");
        b.append(d == 0 ? "registries" : "default");
        b.append("\",\"enforced\":true,\"tls\":\"intercept\",\"status\":")
            .append(d == 0 ? 200 : 403);
        b.append(",\"bytes_in\":0,\"bytes_out\":").append(rnd.nextInt(100_000));
        b.append(",\"policy_version\":\"3f2a9c1d0b7e\",\"approval_id\":null,\"peer_address\":");
        b.append(d == 0 ? "\"93.184.216.34\"" : "null")
            .append(",\"duration_ms\":")
            .append(rnd.nextInt(500));
        b.append(
            ",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}\n");
        w.append(b);
      }
    }
  }
}
