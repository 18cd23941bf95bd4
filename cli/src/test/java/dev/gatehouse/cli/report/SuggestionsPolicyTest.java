package dev.gatehouse.cli.report;

import static dev.gatehouse.cli.report.ReportGoldenTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.CliRun;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --suggest} output is a policy fragment that passes {@code gatehouse check} and, pasted
 * into the policy that blocked the calls, allows every call it was suggested for (through {@link
 * PolicyEngine#decide}), while the calls it says no rule can open stay blocked.
 */
class SuggestionsPolicyTest {
  /** A policy that blocks the fixture's calls the way the audit lines say (rule default). */
  private static final String ORIGINAL =
      """
      version: 1
      defaults: {action: deny, mode: enforce}
      rules:
        - id: github-read
          allow: [github.com]
          methods: [GET]
          paths: ["/acme/*/info/refs"]
        - id: metrics-http
          allow: [metrics.example]
        - id: no-paste-sites
          deny: ["**.pastebin.com"]
      """;

  @TempDir Path dir;

  record Call(
      String agent,
      String method,
      String host,
      int port,
      String path,
      String rule,
      String reason) {}

  private static List<Call> fixtureCalls() throws IOException {
    List<Call> calls = new ArrayList<>();
    AuditLineParser parser = new AuditLineParser();
    AuditEntry e = new AuditEntry();
    for (String name : List.of("audit.jsonl", "audit.jsonl.1.gz")) {
      try (InputStream in = AuditFiles.open(resource(name));
          BufferedReader r =
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (parser.parse(line, e) && "decision".equals(e.type) && !"allow".equals(e.decision)) {
            String path = "";
            if (!"CONNECT".equals(e.method)) {
              int slash = e.url.indexOf('/', e.url.indexOf("//") + 2);
              path = e.url.substring(slash);
            }
            calls.add(new Call(e.agent, e.method, e.host, e.port, path, e.rule, e.reason));
          }
        }
      }
    }
    return calls;
  }

  private static PolicyEngine compile(String yaml) throws ConfigException {
    PolicyCompiler.Compilation c = PolicyCompiler.compile(PolicyLoader.parse(yaml, "policy.yaml"));
    assertThat(c.hasErrors()).as("%s", c.diagnostics()).isFalse();
    return c.engine().orElseThrow();
  }

  private static Action decide(PolicyEngine engine, Call c) {
    Host host = Host.parse(c.host());
    Request request =
        "CONNECT".equals(c.method())
            ? Request.connect(c.agent(), host, c.port())
            : new Request(c.agent(), c.method(), host, c.port(), safePath(c.path()));
    return engine.decide(request).action();
  }

  /** The fixture's hostile URL has characters no client sends raw; percent-encode them. */
  private static String safePath(String path) {
    StringBuilder b = new StringBuilder();
    for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
      int v = x & 0xff;
      if (v > 0x20 && v < 0x7f && "\"<>|\\^`{}".indexOf(v) < 0) {
        b.append((char) v);
      } else {
        b.append('%').append(String.format("%02X", v));
      }
    }
    return b.toString();
  }

  @Test
  void suggestedRules_passCheck_andAllowTheCallsTheyCameFrom() throws Exception {
    ReportRun run =
        ReportRun.run(
            "--suggest",
            resource("audit.jsonl").toString(),
            resource("audit.jsonl.1.gz").toString());
    assertThat(run.exitCode()).isZero();
    String suggested = run.out();
    // paste the suggested list items under the original policy's rules:
    String items = suggested.substring(suggested.indexOf("\nrules:\n") + "\nrules:\n".length());
    String combined = ORIGINAL + items;
    Path file = dir.resolve("combined.yaml");
    Files.writeString(file, combined, StandardCharsets.UTF_8);
    CliRun check = CliRun.of("check", file.toString());
    assertThat(check.exitCode()).as(check.out() + check.err() + "\n" + combined).isZero();

    PolicyEngine before = compile(ORIGINAL);
    PolicyEngine after = compile(combined);
    Set<String> notPolicy = Set.of("auth_required", "auth_failed", "bad_request", "upstream_error");
    Set<String> address = Set.of("private_address", "denied_cidr");
    int allowedNow = 0;
    for (Call c : fixtureCalls()) {
      if (notPolicy.contains(c.reason()) || address.contains(c.reason())) {
        continue;
      }
      if ("default".equals(c.rule())) {
        assertThat(decide(before, c)).as("before: %s", c).isNotEqualTo(Action.ALLOW);
        assertThat(decide(after, c)).as("after: %s", c).isEqualTo(Action.ALLOW);
        allowedNow++;
      } else if (c.rule().equals("no-paste-sites")) {
        assertThat(decide(after, c)).as("a deny rule still wins: %s", c).isEqualTo(Action.DENY);
      }
    }
    assertThat(allowedNow).isEqualTo(16); // npm 6, crates 2, github 2, metrics 2, yarn 2, bücher 2
  }
}
