package dev.gatehouse.proxy.testing;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.GatehouseServer;
import dev.gatehouse.proxy.PolicySource;
import dev.gatehouse.proxy.ProxySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link GatehouseServer} in-process for socket tests: proxy and admin on 127.0.0.1 port 0,
 * the policy from a YAML string written to a temp file (so reload can be tested), DNS through a
 * {@link TestDnsServer}, short timeouts, the admin token {@link #ADMIN_TOKEN} and environment
 * variables injected (never read from the machine).
 *
 * <p>Every policy must open exactly {@code network: {allow_cidrs: [127.0.0.1/32]}}: loopback
 * 127.0.0.1 only, so the {@link CanaryListener}s on 127.0.0.2 and ::1 stay blocked. Lifecycle as
 * {@link UpstreamServer}: static field per class, instance field per test.
 */
public final class GatehouseExtension extends ClassOrTestResource {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  public static final String ADMIN_TOKEN_ENV = "GATEHOUSE_ADMIN_TOKEN";

  /** The one network block test policies may use. */
  public static final String LOOPBACK_ONLY = "network: {allow_cidrs: [127.0.0.1/32]}";

  private static final Pattern ALLOW_CIDRS = Pattern.compile("allow_cidrs:\\s*\\[([^\\]]*)\\]");

  private final String initialPolicy;
  private final TestDnsServer dns;
  private final Map<String, String> env = new HashMap<>();
  private UnaryOperator<ServerConfig> configTweak = UnaryOperator.identity();
  private Consumer<ProxySettings.Builder> settingsTweak = b -> {};

  private boolean kubernetesLayout;
  private int generation;
  private Path dir;
  private Path policyFile;
  private GatehouseServer server;

  private GatehouseExtension(String policyYaml, TestDnsServer dns) {
    this.initialPolicy = checkLoopbackOnly(policyYaml);
    this.dns = dns;
    env.put(ADMIN_TOKEN_ENV, ADMIN_TOKEN);
  }

  /** A proxy running {@code policyYaml}, resolving names through {@code dns}. */
  public static GatehouseExtension withPolicy(String policyYaml, TestDnsServer dns) {
    return new GatehouseExtension(policyYaml, dns);
  }

  /** Adds an environment variable the server sees ({@code token_env}, ...). */
  public GatehouseExtension env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /**
   * Lays the policy out as a Kubernetes ConfigMap volume does: {@code policy.yaml -> ..data/
   * policy.yaml}, {@code ..data -> ..<generation>}; {@link #writePolicy} then swaps the {@code
   * ..data} symlink atomically, as the kubelet does.
   */
  public GatehouseExtension kubernetesLayout() {
    this.kubernetesLayout = true;
    return this;
  }

  /** Runs with no admin token in the environment: the admin API must refuse all but /healthz. */
  public GatehouseExtension withoutAdminToken() {
    env.remove(ADMIN_TOKEN_ENV);
    return this;
  }

  /** Changes the server config the extension builds (limits, timeouts, ...). */
  public GatehouseExtension config(UnaryOperator<ServerConfig> tweak) {
    UnaryOperator<ServerConfig> before = configTweak;
    configTweak = c -> tweak.apply(before.apply(c));
    return this;
  }

  /** Changes the limits (header bytes, timeouts, connection caps). */
  public GatehouseExtension limits(UnaryOperator<ServerConfig.Limits> tweak) {
    return config(
        c ->
            new ServerConfig(
                c.listen(),
                c.admin(),
                c.policy(),
                c.dns(),
                c.tls(),
                c.approvals(),
                c.audit(),
                tweak.apply(c.limits())));
  }

  /** Changes the settings builder (observer, clock, interceptor, ...). */
  public GatehouseExtension settings(Consumer<ProxySettings.Builder> tweak) {
    Consumer<ProxySettings.Builder> before = settingsTweak;
    settingsTweak = before.andThen(tweak);
    return this;
  }

  // ---- lifecycle ----

  @Override
  boolean running() {
    return server != null;
  }

  @Override
  public synchronized GatehouseExtension start() {
    if (server != null) {
      return this;
    }
    dns.start(); // idempotent; whichever extension JUnit runs first
    try {
      dir = Files.createTempDirectory("gatehouse-it");
      policyFile = dir.resolve("policy.yaml");
      if (kubernetesLayout) {
        Files.createSymbolicLink(dir.resolve("..data"), Path.of(newGeneration(initialPolicy)));
        Files.createSymbolicLink(policyFile, Path.of("..data", "policy.yaml"));
      } else {
        Files.writeString(policyFile, initialPolicy, StandardCharsets.UTF_8);
      }
      ServerConfig config = configTweak.apply(baseConfig());
      ProxySettings.Builder builder =
          ProxySettings.builder(config)
              .policy(PolicySource.file(policyFile))
              .env(env::get)
              .drainTimeout(Duration.ofSeconds(1))
              .reloadPollInterval(Duration.ofMillis(200));
      settingsTweak.accept(builder);
      server = GatehouseServer.start(builder.build());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new IllegalStateException("test policy or config refused: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } finally {
      server = null;
      UpstreamServer.deleteQuietly(dir);
    }
  }

  private ServerConfig baseConfig() {
    HostPort loopback0 = new HostPort("127.0.0.1", 0);
    return new ServerConfig(
        loopback0,
        new ServerConfig.Admin(loopback0, ADMIN_TOKEN_ENV),
        Optional.of(policyFile),
        new ServerConfig.Dns(
            List.of(new HostPort("127.0.0.1", dns.address().getPort())), Duration.ofSeconds(2)),
        new ServerConfig.Tls(
            dir.resolve("ca.pem"),
            dir.resolve("ca-key.pem"),
            Optional.empty(),
            ServerConfig.InterceptMode.AUTO),
        new ServerConfig.Approvals(false, Duration.ofSeconds(1), Optional.empty()),
        new ServerConfig.Audit(Optional.empty(), 1024 * 1024, 1),
        // connect 1 s; idle 10 s, long enough that a loaded machine never turns a held request
        // into a 504 by accident (tests of the idle timeout set a short one with limits())
        new ServerConfig.Limits(16384, Duration.ofSeconds(1), Duration.ofSeconds(10), 512, 10_000));
  }

  // ---- use ----

  public GatehouseServer server() {
    if (server == null) {
      throw new IllegalStateException("gatehouse not started");
    }
    return server;
  }

  public InetSocketAddress proxyAddress() {
    return server().proxyAddress();
  }

  public InetSocketAddress adminAddress() {
    return server().adminAddress();
  }

  /** {@code http://127.0.0.1:port}: what HTTPS_PROXY and {@code -x} take. */
  public String proxyUrl() {
    return "http://127.0.0.1:" + proxyAddress().getPort();
  }

  public Path policyFile() {
    return policyFile;
  }

  /** A raw connection to the proxy port. */
  public RawClient client() {
    return RawClient.connect(proxyAddress());
  }

  /**
   * Replaces the policy file the way editors do (write a sibling, then rename over it), so the
   * watcher sees one complete file.
   */
  public void writePolicy(String yaml) {
    writeRaw(checkLoopbackOnly(yaml));
  }

  /** Replaces the policy file with text that need not be valid (for failed-reload tests). */
  public void writeInvalidPolicy(String text) {
    writeRaw(text);
  }

  private void writeRaw(String text) {
    try {
      if (kubernetesLayout) {
        Path data = dir.resolve("..data");
        Path old = dir.resolve(Files.readSymbolicLink(data));
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, Path.of(newGeneration(text)));
        Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        UpstreamServer.deleteQuietly(old);
        return;
      }
      Path tmp = Files.createTempFile(dir, ".policy", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(
          tmp, policyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} into a new {@code ..gen-N} directory; returns the directory's name. */
  private String newGeneration(String text) throws IOException {
    String name = "..gen-" + (++generation);
    Path gen = Files.createDirectory(dir.resolve(name));
    Files.writeString(gen.resolve("policy.yaml"), text, StandardCharsets.UTF_8);
    return name;
  }

  /** {@code GET path} on the admin port, with {@code Authorization: Bearer token} unless null. */
  public RawResponse admin(String method, String path, String token) {
    return admin(method, path, token, "");
  }

  /** An admin request with a body (ASCII, e.g. JSON). */
  public RawResponse admin(String method, String path, String token, String body) {
    try (RawClient c = RawClient.connect(adminAddress())) {
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1:").append(adminAddress().getPort()).append("\r\n");
      if (token != null) {
        req.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      req.append("Content-Length: ").append(body.length()).append("\r\nConnection: close\r\n\r\n");
      req.append(body);
      c.send(req.toString());
      return c.readResponse();
    }
  }

  /** Refuses a policy that opens anything but 127.0.0.1/32 (the canaries must stay blocked). */
  static String checkLoopbackOnly(String yaml) {
    Matcher m = ALLOW_CIDRS.matcher(yaml);
    int count = 0;
    while (m.find()) {
      count++;
      if (!m.group(1).trim().equals("127.0.0.1/32")) {
        throw new IllegalArgumentException(
            "test policies may open only 127.0.0.1/32, not [" + m.group(1) + "]");
      }
    }
    if (count != 1 || yaml.contains("block_private: false")) {
      throw new IllegalArgumentException("test policies must include " + LOOPBACK_ONLY);
    }
    return yaml;
  }
}
