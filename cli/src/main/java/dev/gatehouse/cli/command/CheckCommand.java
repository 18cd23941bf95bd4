package dev.gatehouse.cli.command;

import dev.gatehouse.cli.JsonOutput;
import dev.gatehouse.cli.PolicyFiles;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;
import dev.gatehouse.config.ServerConfigLoader;
import dev.gatehouse.config.TestCasesLoader;
import dev.gatehouse.config.model.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse check FILE...}: validates policy files, server configs (and the policy they
 * name) and cases files without starting anything. Exit 0 valid, 1 invalid, 2 usage.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate policy files, server configs and cases files.",
      "Prints file:line:col: error|warning: message for each problem.",
      "A server config is checked together with the policy it names (including whether",
      "interception is needed but no CA is configured).",
      "Exit 0 valid, 1 invalid, 2 usage."
    })
public final class CheckCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Policy, server config or cases YAML files.")
  List<Path> files;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Server config to check the policies against (CA for interception).")
  Path config;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Spec CommandSpec spec;

  private static final Pattern POLICY_MARKER = Pattern.compile("(?m)^version\\s*:");
  private static final Pattern CASES_MARKER = Pattern.compile("(?m)\\A(\\s*#.*\\n|\\s*\\n)*\\s*-");

  enum Kind {
    POLICY,
    SERVER_CONFIG,
    CASES
  }

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("json")) {
      spec.commandLine().getErr().println("--format must be text or json, not '" + format + "'");
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    ServerConfig server = null;
    List<Map<String, Object>> reports = new ArrayList<>();
    boolean valid = true;
    if (config != null) {
      FileReport r = checkServerConfig(config);
      reports.add(r.json());
      valid &= r.valid();
      server = r.server();
      print(out, r);
    }
    for (Path file : files) {
      FileReport r = checkFile(file, server);
      reports.add(r.json());
      valid &= r.valid();
      print(out, r);
    }
    if (format.equals("json")) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("valid", valid);
      all.put("files", reports);
      out.println(JsonOutput.write(all));
    }
    out.flush();
    return valid ? 0 : 1;
  }

  private void print(PrintWriter out, FileReport r) {
    if (!format.equals("text")) {
      return;
    }
    r.diagnostics().forEach(d -> out.println(d.format()));
    long errors = r.diagnostics().stream().filter(Diagnostic::isError).count();
    long warnings = r.diagnostics().size() - errors;
    out.printf(
        "%s: %s (%s)%s%n",
        r.file(),
        r.valid() ? "ok" : "invalid",
        r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '),
        errors + warnings == 0 ? "" : ", " + errors + " error(s), " + warnings + " warning(s)");
  }

  private FileReport checkFile(Path file, ServerConfig server) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return FileReport.unreadable(file, e);
    }
    if (POLICY_MARKER.matcher(text).find()) {
      return checkPolicy(file, server);
    }
    if (CASES_MARKER.matcher(text).find()) {
      try {
        TestCasesLoader.load(file);
        return new FileReport(file, Kind.CASES, List.of(), null);
      } catch (ConfigException e) {
        return new FileReport(file, Kind.CASES, e.diagnostics(), null);
      }
    }
    return checkServerConfig(file);
  }

  private FileReport checkPolicy(Path file, ServerConfig server) {
    PolicyFiles.Loaded loaded = PolicyFiles.load(file);
    List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
    if (server != null
        && loaded.engine().isPresent()
        && loaded.engine().get().needsInterception()) {
      Location where = new Location(file.toString(), 1, 1);
      caProblem(server)
          .ifPresent(
              p ->
                  diagnostics.add(
                      // "never" can never work; a CA not created yet is a step still to do (serve
                      // refuses to start without it)
                      server.tls().intercept() == ServerConfig.InterceptMode.NEVER
                          ? Diagnostic.error(where, "tls.intercept", p)
                          : Diagnostic.warning(where, "tls.ca_cert", p)));
    }
    return new FileReport(file, Kind.POLICY, diagnostics, null);
  }

  /** Why interception cannot work with this server config, if it cannot. */
  static Optional<String> caProblem(ServerConfig server) {
    ServerConfig.Tls tls = server.tls();
    if (tls.intercept() == ServerConfig.InterceptMode.NEVER) {
      return Optional.of(
          "policy has rules with methods or paths, which need TLS interception, but tls.intercept is never");
    }
    if (!Files.isRegularFile(tls.caCert()) || !Files.isRegularFile(tls.caKey())) {
      return Optional.of(
          "policy has rules with methods or paths, which need TLS interception, but no CA exists at "
              + tls.caCert()
              + " (run: gatehouse ca init --config <gatehouse.yaml>)");
    }
    return Optional.empty();
  }

  private FileReport checkServerConfig(Path file) {
    ServerConfig server;
    try {
      server = ServerConfigLoader.load(file);
    } catch (ConfigException e) {
      return new FileReport(file, Kind.SERVER_CONFIG, e.diagnostics(), null);
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    if (server.policy().isPresent()) {
      FileReport policy = checkPolicy(server.policy().get(), server);
      diagnostics.addAll(policy.diagnostics());
    }
    return new FileReport(file, Kind.SERVER_CONFIG, diagnostics, server);
  }

  private record FileReport(
      Path file, Kind kind, List<Diagnostic> diagnostics, ServerConfig server) {
    static FileReport unreadable(Path file, Exception e) {
      return new FileReport(
          file,
          Kind.POLICY,
          List.of(
              Diagnostic.error(
                  new Location(file.toString(), 0, 0), "", "cannot read file: " + e.getMessage())),
          null);
    }

    boolean valid() {
      return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("kind", kind.name().toLowerCase(Locale.ROOT));
      m.put("valid", valid());
      List<Map<String, Object>> ds = new ArrayList<>();
      for (Diagnostic d : diagnostics) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", d.location().file());
        j.put("line", d.location().line());
        j.put("column", d.location().column());
        j.put("severity", d.severity().label());
        j.put("key", d.key());
        j.put("message", d.message());
        ds.add(j);
      }
      m.put("diagnostics", ds);
      return m;
    }
  }
}
