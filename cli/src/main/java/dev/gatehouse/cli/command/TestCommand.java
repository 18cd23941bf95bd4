package dev.gatehouse.cli.command;

import dev.gatehouse.cli.ExplanationPrinter;
import dev.gatehouse.cli.PolicyFiles;
import dev.gatehouse.cli.RequestLine;
import dev.gatehouse.cli.SimulatedDns;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.TestCasesLoader;
import dev.gatehouse.config.model.TestCase;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Request;
import dev.gatehouse.policy.explain.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse test POLICY CASES}: runs the expected decisions a security team keeps next to
 * its policy. Prints each failure with its explanation, then {@code N passed, M failed}; exit 1 on
 * any failure, 2 when the policy or the cases file is invalid.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Run expected decisions against a policy, offline. Cases file entries look like:",
      "  - {agent: ci, request: \"GET https://pypi.org/simple/\", expect: allow, rule: python-packages}",
      "Optional keys: reason (e.g. default_deny), resolve ({host: [ip, ...]}) to test address checks.",
      "Exit 0 all passed, 1 any failed, 2 invalid policy or cases file."
    })
public final class TestCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "POLICY", description = "Policy file.")
  Path policy;

  @Parameters(index = "1", paramLabel = "CASES", description = "Cases file (YAML list).")
  Path cases;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<PolicyEngine> engine = PolicyFiles.engineOrReport(policy, "test", err);
    if (engine.isEmpty()) {
      return 2;
    }
    List<TestCase> all;
    try {
      all = TestCasesLoader.load(cases);
    } catch (ConfigException e) {
      e.diagnostics().forEach(d -> err.println(d.format()));
      err.println("gatehouse test: " + cases + " is invalid");
      return 2;
    }
    int passed = 0;
    int failed = 0;
    for (TestCase c : all) {
      if (run(engine.get(), c, out)) {
        passed++;
      } else {
        failed++;
      }
    }
    out.println(passed + " passed, " + failed + " failed");
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  /** Runs one case; prints its failure, if any, and says whether it passed. */
  private boolean run(PolicyEngine engine, TestCase c, PrintWriter out) {
    String where = c.location().toString();
    RequestLine line;
    Request request;
    SimulatedDns dns = new SimulatedDns();
    try {
      line = RequestLine.parse(c.request());
      c.resolve().forEach(dns::add);
      request = line.toRequest(c.agent().orElse("anonymous"));
    } catch (IllegalArgumentException e) { // InvalidHostException included
      out.println(where + ": FAIL " + c.request() + ": " + e.getMessage());
      return false;
    }
    Explanation explanation = engine.explain(request, dns.lookup(request.host()));
    Decision d = explanation.decision();
    List<String> problems = new ArrayList<>();
    if (d.action() != c.expect()) {
      problems.add("expected " + c.expect().wireName() + ", got " + d.action().wireName());
    }
    c.rule()
        .filter(rule -> !rule.equals(d.ruleId()))
        .ifPresent(rule -> problems.add("expected rule " + rule + ", got " + d.ruleId()));
    c.reason()
        .filter(reason -> !reason.equals(d.reason().wireName()))
        .ifPresent(
            reason -> problems.add("expected reason " + reason + ", got " + d.reason().wireName()));
    if (problems.isEmpty()) {
      return true;
    }
    out.println(
        where
            + ": FAIL "
            + c.agent().map(a -> "[" + a + "] ").orElse("")
            + c.request()
            + ": "
            + String.join("; ", problems));
    ExplanationPrinter.text(line, explanation).lines().forEach(l -> out.println("    " + l));
    return false;
  }
}
