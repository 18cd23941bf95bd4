package dev.gatehouse.cli.command;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.tls.TrustBundle;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse env} (SPEC §8): the lines to put in a sandbox so that every common client goes
 * through Gatehouse and, with interception, trusts its CA. Exit 0, 1 when the config or agent is
 * wrong, 2 on usage errors.
 */
@Command(
    name = "env",
    description =
        "Print the environment a sandbox needs: proxy variables in both spellings, NO_PROXY,"
            + " JAVA_TOOL_OPTIONS and, with an interception CA, the CA variables tools read.")
public final class EnvCommand implements Callable<Integer> {
  /** When the policy keeps only the token's hash, the sandbox must supply the token itself. */
  static final String DEFAULT_TOKEN_VARIABLE = "GATEHOUSE_TOKEN";

  /** Loopback never goes through the proxy (no sandbox-local service is proxied). */
  static final String NO_PROXY = "localhost,127.0.0.1,::1";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--agent",
      paramLabel = "A",
      description = "The agent the sandbox runs as (its name and token go in the proxy URL).")
  String agent;

  @Option(
      names = "--format",
      paramLabel = "sh|dotenv|json",
      description = "sh (export lines, default), dotenv (NAME=value) or json.")
  String format = "sh";

  @Option(
      names = "--token-env",
      paramLabel = "VAR",
      description =
          "Reference the token as ${VAR}, expanded in the sandbox, instead of printing it.")
  String tokenEnv;

  @Option(
      names = "--proxy-host",
      paramLabel = "HOST",
      description =
          "The proxy's address as the sandbox reaches it (default: the config's listen host).")
  String proxyHost;

  @Option(
      names = "--ca-path",
      paramLabel = "PATH",
      description =
          "Where the sandbox sees the trust bundle (default: ca-bundle.pem beside tls.ca_cert);"
              + " a Java trust store is expected beside it as <name>-truststore.p12.")
  String caPath;

  /** The process environment; tests replace it. */
  Function<String, String> environment = System::getenv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SandboxEnv.Format fmt = parseFormat();
    if (tokenEnv != null && !ENV_NAME.matcher(tokenEnv).matches()) {
      throw new ParameterException(
          spec.commandLine(), "--token-env " + tokenEnv + " is not a variable name");
    }
    Optional<ServerConfig> loaded = config.load(err);
    if (loaded.isEmpty()) {
      return 1;
    }
    ServerConfig server = loaded.get();

    Optional<Credentials> credentials = Optional.empty();
    if (agent != null) {
      Optional<Credentials> c = credentials(server, err);
      if (c == null) {
        return 1;
      }
      credentials = c;
    }
    String hostPort = proxyAddress(server.listen(), err);
    if (hostPort == null) {
      return 1;
    }

    SandboxEnv env = new SandboxEnv();
    String before = "http://" + credentials.map(Credentials::before).orElse("");
    Optional<String> reference = credentials.flatMap(Credentials::reference);
    String after = credentials.map(Credentials::after).orElse("") + hostPort;
    // curl, git and cargo ignore upper-case HTTP_PROXY; wget reads only lower case
    for (String name : new String[] {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"}) {
      env.add(new SandboxEnv.Var(name, before, reference, after));
    }
    env.add(SandboxEnv.Var.literal("no_proxy", NO_PROXY));
    env.add(SandboxEnv.Var.literal("NO_PROXY", NO_PROXY));
    // Node 24+ (and 22.21+) honour the proxy variables in fetch and http only with this set
    env.add(SandboxEnv.Var.literal("NODE_USE_ENV_PROXY", "1"));

    String proxyHostOnly = hostPort.substring(0, hostPort.lastIndexOf(':'));
    String proxyPort = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    StringBuilder java =
        new StringBuilder()
            .append("-Dhttp.proxyHost=")
            .append(proxyHostOnly)
            .append(" -Dhttp.proxyPort=")
            .append(proxyPort)
            .append(" -Dhttps.proxyHost=")
            .append(proxyHostOnly)
            .append(" -Dhttps.proxyPort=")
            .append(proxyPort)
            .append(" -Dhttp.nonProxyHosts=localhost|127.0.0.1|[::1]");

    ServerConfig.Tls tls = server.tls();
    boolean intercepting = tls.intercept() != ServerConfig.InterceptMode.NEVER;
    if (intercepting && Files.exists(tls.caCert())) {
      String bundle;
      Optional<String> truststore;
      if (caPath != null) {
        bundle = caPath;
        truststore = Optional.of(TrustBundle.truststorePathFor(Path.of(caPath)).toString());
      } else {
        Path pem = TrustBundle.bundlePathFor(tls.caCert()).toAbsolutePath();
        Path p12 = TrustBundle.truststorePathFor(tls.caCert()).toAbsolutePath();
        if (Files.exists(pem)) {
          bundle = pem.toString();
        } else {
          bundle = tls.caCert().toAbsolutePath().toString();
          err.println(
              "gatehouse env: no trust bundle at "
                  + pem
                  + "; the variables name the CA alone, which makes tunnelled hosts fail in tools"
                  + " that replace their trust store. Run: gatehouse ca export");
        }
        truststore = Files.exists(p12) ? Optional.of(p12.toString()) : Optional.empty();
      }
      env.addCaVariables(bundle, truststore);
      truststore.ifPresent(
          p ->
              java.append(" -Djavax.net.ssl.trustStore=")
                  .append(p)
                  .append(" -Djavax.net.ssl.trustStoreType=PKCS12")
                  .append(" -Djavax.net.ssl.trustStorePassword=")
                  .append(TrustBundle.TRUSTSTORE_PASSWORD));
    } else if (intercepting) {
      err.println(
          "gatehouse env: no interception CA at "
              + tls.caCert()
              + "; hosts whose rules name methods or paths cannot be reached until one exists"
              + " (gatehouse ca init"
              + (config.file == null ? "" : " --config " + config.file)
              + ")");
    }
    env.add(SandboxEnv.Var.literal("JAVA_TOOL_OPTIONS", java.toString()));

    env.note(
        "Node 20's built-in fetch ignores proxy variables: use Node 24+ (NODE_USE_ENV_PROXY=1"
            + " above) or undici's EnvHttpProxyAgent with setGlobalDispatcher.");
    env.note(
        "Java reads no proxy variable, hence JAVA_TOOL_OPTIONS; it never carries the token (the JVM"
            + " prints it at start-up): give Java clients credentials their own way (Maven"
            + " settings.xml <proxy>, Gradle systemProp.https.proxyUser/Password) or identify the"
            + " agent by source_cidrs.");
    credentials.flatMap(Credentials::note).ifPresent(env::note);

    String text = env.format(fmt);
    out.print(text);
    out.flush();
    if (fmt == SandboxEnv.Format.JSON) {
      for (String note : env.notes()) {
        err.println("note: " + note);
      }
    }
    if (credentials.map(Credentials::printed).orElse(false)) {
      err.println(
          "gatehouse env: the output holds agent "
              + agent
              + "'s token; use --token-env VAR to reference it instead");
    }
    return 0;
  }

  private SandboxEnv.Format parseFormat() {
    return switch (format) {
      case "sh" -> SandboxEnv.Format.SH;
      case "dotenv" -> SandboxEnv.Format.DOTENV;
      case "json" -> SandboxEnv.Format.JSON;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--format " + format + ": expected sh, dotenv or json");
    };
  }

  /**
   * The user-info part of the proxy URL: {@code agent:TOKEN@}, {@code agent:${VAR}@}, or {@code
   * agent@}... split around the reference.
   */
  record Credentials(
      String before,
      Optional<String> reference,
      String after,
      Optional<String> note,
      boolean printed) {}

  /** The agent's credentials, or null after printing why there are none. */
  private Optional<Credentials> credentials(ServerConfig server, PrintWriter err) {
    String user = encode(agent) + ":";
    if (server.policy().isEmpty()) {
      err.println("gatehouse env: no policy in the config, so agent " + agent + " is not checked");
      String var = tokenEnv != null ? tokenEnv : DEFAULT_TOKEN_VARIABLE;
      return Optional.of(new Credentials(user, Optional.of(var), "@", Optional.empty(), false));
    }
    PolicyModel policy;
    try {
      policy = PolicyLoader.load(server.policy().get());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return null;
    }
    Optional<AgentModel> model =
        policy.agents().stream().filter(a -> a.name().value().equals(agent)).findFirst();
    if (model.isEmpty()) {
      err.println(
          "gatehouse env: no agent "
              + agent
              + " in "
              + server.policy().get()
              + " (agents: "
              + String.join(", ", policy.agents().stream().map(a -> a.name().value()).toList())
              + ")");
      return null;
    }
    AgentModel a = model.get();
    if (tokenEnv != null) {
      return Optional.of(
          new Credentials(user, Optional.of(tokenEnv), "@", Optional.empty(), false));
    }
    if (a.tokenEnv().isPresent()) {
      String name = a.tokenEnv().get();
      String value = environment.apply(name);
      if (value != null && !value.isEmpty()) {
        return Optional.of(
            new Credentials(
                user + encode(value) + "@", Optional.empty(), "", Optional.empty(), true));
      }
      return Optional.of(
          new Credentials(
              user,
              Optional.of(name),
              "@",
              Optional.of("Set " + name + " in the sandbox to agent " + agent + "'s token."),
              false));
    }
    if (a.tokenSha256().isPresent()) {
      return Optional.of(
          new Credentials(
              user,
              Optional.of(DEFAULT_TOKEN_VARIABLE),
              "@",
              Optional.of(
                  "The policy keeps only the hash of agent "
                      + agent
                      + "'s token: set "
                      + DEFAULT_TOKEN_VARIABLE
                      + " in the sandbox (or choose the name with --token-env)."),
              false));
    }
    // identified by source address alone: no credentials to send
    return Optional.of(
        new Credentials(
            "",
            Optional.empty(),
            "",
            Optional.of("Agent " + agent + " is identified by its source address; no token."),
            false));
  }

  /** {@code host:port} as the sandbox reaches the proxy, or null after saying why not. */
  private String proxyAddress(HostPort listen, PrintWriter err) {
    String host = proxyHost != null ? proxyHost : listen.host();
    if (proxyHost == null && Map.of("0.0.0.0", 1, "::", 1, "", 1).containsKey(host)) {
      err.println(
          "gatehouse env: the proxy listens on "
              + listen
              + " (every address); say which one the sandbox reaches with --proxy-host");
      return null;
    }
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return host + ":" + listen.port();
  }

  /** Percent-encodes a user-info component (RFC 3986 §3.2.1): only unreserved characters stay. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
  }
}
