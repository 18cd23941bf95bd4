package dev.gatehouse.cli.command;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.ServerConfigLoader;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.GatehouseServer;
import dev.gatehouse.proxy.NettyDefaults;
import dev.gatehouse.proxy.PolicySource;
import dev.gatehouse.proxy.ProxySettings;
import dev.gatehouse.proxy.telemetry.Observability;
import dev.gatehouse.proxy.telemetry.Telemetry;
import dev.gatehouse.proxy.tls.CaException;
import dev.gatehouse.proxy.tls.CertificateAuthority;
import dev.gatehouse.proxy.tls.Interception;
import dev.gatehouse.proxy.tls.KeyAlgorithm;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse serve}: runs the proxy until SIGTERM or SIGINT, then stops accepting, drains
 * in-flight calls, flushes telemetry and audit, and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Gatehouse proxy (HTTP forward proxy and CONNECT tunnels enforcing a policy).",
      "With no --policy (and none in the config), runs the built-in default policy: deny by"
          + " default, the common package registries read-only."
    })
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Server configuration (gatehouse.yaml).")
  Path config;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "Policy file; watched and hot-reloaded.")
  Path policy;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Proxy listen address (default 127.0.0.1:3128).")
  String listen;

  @Option(
      names = "--admin-listen",
      paramLabel = "HOST:PORT",
      description = "Admin API listen address (default 127.0.0.1:3129).")
  String adminListen;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig cfg;
    try {
      cfg = config == null ? ServerConfig.defaults() : ServerConfigLoader.load(config);
      cfg = override(cfg);
    } catch (ConfigException e) {
      printDiagnostics(err, e);
      return 1;
    } catch (IllegalArgumentException e) {
      err.println("gatehouse serve: " + e.getMessage());
      return 2;
    }
    PolicySource source;
    if (policy != null) {
      source = PolicySource.file(policy);
    } else if (cfg.policy().isPresent()) {
      source = PolicySource.file(cfg.policy().get());
    } else {
      source = PolicySource.builtInDefault();
      out.println(
          "gatehouse: no policy given: running the built-in default policy (deny by default;"
              + " PyPI, npm, Maven Central, crates.io and the Go module proxy read-only)."
              + " Pass --policy FILE to use your own.");
    }
    TunnelInterceptor interceptor;
    try {
      if (source instanceof PolicySource.BuiltIn && firstRunCa(cfg.tls(), out)) {
        out.println(
            "gatehouse: the default policy allows the registries read-only, which needs TLS"
                + " interception: sandboxes must trust this CA (`gatehouse env` prints how)");
      }
      interceptor = Interception.fromConfig(cfg.tls(), Clock.systemUTC());
    } catch (CaException e) {
      err.println("gatehouse serve: " + e.getMessage());
      return 1;
    }
    Observability observability;
    try {
      // spans from the OTEL_* environment, audit from `audit:`; closed by the server on stop
      observability =
          Observability.start(cfg.audit(), Clock.systemUTC(), Telemetry.fromEnvironment());
    } catch (IOException | RuntimeException e) {
      err.println("gatehouse serve: cannot set up audit or telemetry: " + e.getMessage());
      return 1;
    }
    NettyDefaults.forServing();
    ServerConfig.Tls tls = cfg.tls();
    TunnelInterceptor tunnels = interceptor;
    String hint = config == null ? "" : " --config " + config;
    GatehouseServer server;
    try {
      server =
          GatehouseServer.start(
              ProxySettings.builder(cfg)
                  .policy(source)
                  .interceptor(interceptor)
                  .observer(observability)
                  // SPEC §3: a policy that needs interception without a CA fails serve, before
                  // it listens
                  .preflight(engine -> InterceptionCheck.missingCa(engine, tls, tunnels, hint))
                  .build());
    } catch (ConfigException e) {
      observability.close();
      printDiagnostics(err, e);
      return 1;
    } catch (IOException e) {
      observability.close();
      err.println("gatehouse serve: " + e.getMessage());
      return 1;
    }
    PolicyEngine engine = server.policy();
    InetSocketAddress proxy = server.proxyAddress();
    String host =
        proxy.getAddress().isAnyLocalAddress() ? "127.0.0.1" : proxy.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    out.println(
        "gatehouse: listening on "
            + proxy
            + " ("
            + server.transport()
            + "), admin API on "
            + server.adminAddress());
    out.println(
        "gatehouse: policy "
            + engine.model().source()
            + ", version "
            + engine.version()
            + ", "
            + engine.model().rules().size()
            + " rules");
    if (interceptor.available()) {
      out.println("gatehouse: TLS interception with the CA at " + cfg.tls().caCert());
    } else if (engine.needsInterception()) {
      out.println(
          "gatehouse: note: some rules name methods or paths; with tls.intercept: never, HTTPS"
              + " to those hosts is refused (403)");
    }
    out.println(
        "gatehouse: audit log "
            + (observability.auditEnabled()
                ? cfg.audit().file().get()
                    + " (rotated at "
                    + cfg.audit().maxSizeBytes()
                    + " bytes, keep "
                    + cfg.audit().keep()
                    + ")"
                : "off (no audit.file in the config; records are counted as lost)")
            + "; spans "
            + (observability.tracesEnabled()
                ? "exported (OTEL_* environment)"
                : "off (set OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT)"));
    String credentials = engine.model().anonymous() == AnonymousPolicy.DENY ? "AGENT:TOKEN@" : "";
    out.println("HTTPS_PROXY=http://" + credentials + host + ":" + proxy.getPort());
    out.println("HTTP_PROXY=http://" + credentials + host + ":" + proxy.getPort());
    out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          server.close();
          stopped.countDown();
        };
    if (!onSignals(stop, "TERM", "INT")) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "gatehouse-shutdown"));
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    out.println("gatehouse: stopped");
    out.flush();
    return 0;
  }

  private ServerConfig override(ServerConfig c) {
    HostPort l = listen == null ? c.listen() : parseHostPort(listen, "--listen");
    ServerConfig.Admin admin =
        adminListen == null
            ? c.admin()
            : new ServerConfig.Admin(
                parseHostPort(adminListen, "--admin-listen"), c.admin().tokenEnv());
    return new ServerConfig(
        l, admin, c.policy(), c.dns(), c.tls(), c.approvals(), c.audit(), c.limits());
  }

  static HostPort parseHostPort(String s, String option) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(option + " needs HOST:PORT, got \"" + s + "\"");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": invalid port in \"" + s + "\"");
    }
    return new HostPort(host, port);
  }

  /**
   * The built-in default policy allows registries read-only, which on HTTPS needs interception: so
   * that {@code ./gatehouse serve} works on a fresh machine, the first run creates the CA at {@code
   * tls.ca_cert} (as {@code gatehouse ca init} would) instead of refusing to start. A policy of
   * one's own never gets a CA behind its back: {@code serve} refuses it and says why.
   *
   * @return true when a CA was created
   */
  static boolean firstRunCa(ServerConfig.Tls tls, PrintWriter out) throws CaException {
    if (tls.intercept() == ServerConfig.InterceptMode.NEVER || Files.exists(tls.caCert())) {
      return false;
    }
    CertificateAuthority ca =
        CertificateAuthority.create(
            KeyAlgorithm.EC_P256, CertificateAuthority.localHostname(), Clock.systemUTC());
    ca.write(tls.caCert(), tls.caKey(), false);
    out.println("gatehouse: created the interception CA at " + tls.caCert() + " (first run)");
    CaCommand.writeTrust(out, out, ca.certificate(), tls.caCert(), null, false);
    return true;
  }

  private static void printDiagnostics(PrintWriter err, ConfigException e) {
    for (Diagnostic d : e.diagnostics()) {
      err.println(d.format());
    }
    err.flush();
  }

  /**
   * Handles the signals with {@code sun.misc.Signal} (through reflection: it is not a supported
   * API) so the process exits 0 after a clean drain; false when that is not possible.
   */
  private static boolean onSignals(Runnable stop, String... names) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Thread[] running = new Thread[1];
      InvocationHandler ih =
          (p, m, args) -> {
            if (m.getName().equals("handle")) {
              synchronized (running) {
                if (running[0] == null) {
                  running[0] = new Thread(stop, "gatehouse-shutdown");
                  running[0].start();
                }
              }
            }
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, ih);
      for (String name : names) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
