package dev.gatehouse.cli.command;

import dev.gatehouse.cli.ExplanationPrinter;
import dev.gatehouse.cli.JsonOutput;
import dev.gatehouse.cli.PolicyFiles;
import dev.gatehouse.cli.RequestLine;
import dev.gatehouse.cli.SimulatedDns;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.InvalidHostException;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Request;
import dev.gatehouse.policy.explain.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse explain POLICY [--agent A] METHOD URL}: the decision, reason and rule, then
 * every candidate rule and why it did or did not match. Never resolves a name or opens a
 * connection. Exit 0 allow, 1 deny or ask, 2 usage or invalid policy.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Explain how a policy decides one request, without any network access.",
      "Examples: explain policy.yaml --agent ci GET https://pypi.org/simple/",
      "          explain policy.yaml CONNECT github.com:443",
      "Exit 0 allow, 1 deny or ask, 2 usage or invalid policy."
    })
public final class ExplainCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "POLICY", description = "Policy file.")
  Path policy;

  @Parameters(index = "1", paramLabel = "METHOD", description = "HTTP method, or CONNECT.")
  String method;

  @Parameters(
      index = "2",
      paramLabel = "URL",
      description = "Absolute URL, or host:port for CONNECT.")
  String url;

  @Option(
      names = "--agent",
      defaultValue = "anonymous",
      description = "Agent making the request (default: ${DEFAULT-VALUE}).")
  String agent;

  @Option(
      names = "--resolve",
      paramLabel = "HOST=IP[,IP]",
      description = "Simulate a DNS answer so address checks are explained too (repeatable).")
  List<String> resolve = List.of();

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!format.equals("text") && !format.equals("json")) {
      err.println("--format must be text or json, not '" + format + "'");
      return 2;
    }
    RequestLine line;
    SimulatedDns dns = new SimulatedDns();
    try {
      line = RequestLine.parse(method, url);
      resolve.forEach(dns::add);
    } catch (IllegalArgumentException e) {
      err.println("gatehouse explain: " + e.getMessage());
      return 2;
    }
    Optional<PolicyEngine> engine = PolicyFiles.engineOrReport(policy, "explain", err);
    if (engine.isEmpty()) {
      return 2;
    }
    Request request;
    try {
      request = line.toRequest(agent);
    } catch (InvalidHostException e) {
      out.println("deny (reason bad_request): " + e.getMessage());
      out.println(
          "  the proxy answers 400 for a host that is neither a DNS name nor an IP literal");
      return 1;
    }
    Explanation explanation = engine.get().explain(request, dns.lookup(request.host()));
    if (format.equals("json")) {
      out.println(JsonOutput.write(ExplanationPrinter.json(line, explanation)));
    } else {
      out.print(ExplanationPrinter.text(line, explanation));
    }
    out.flush();
    return explanation.decision().action() == Action.ALLOW ? 0 : 1;
  }
}
