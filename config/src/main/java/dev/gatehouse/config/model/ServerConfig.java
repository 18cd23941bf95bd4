package dev.gatehouse.config.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code gatehouse.yaml} (SPEC §9). Every key is optional; {@link #defaults()} holds the safe
 * defaults. Relative paths are already resolved against the file that named them.
 */
public record ServerConfig(
    HostPort listen,
    Admin admin,
    Optional<Path> policy,
    Dns dns,
    Tls tls,
    Approvals approvals,
    Audit audit,
    Limits limits) {

  public ServerConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(limits, "limits");
  }

  /** {@code admin:}; with no token in the environment the admin API refuses all but /healthz. */
  public record Admin(HostPort listen, String tokenEnv) {}

  /** {@code dns:}; no servers means the system resolver. */
  public record Dns(List<HostPort> servers, Duration timeout) {
    public Dns {
      servers = List.copyOf(servers);
    }
  }

  public enum InterceptMode {
    AUTO,
    ALWAYS,
    NEVER
  }

  /** {@code tls:}: the interception CA and upstream trust. */
  public record Tls(Path caCert, Path caKey, Optional<Path> upstreamCa, InterceptMode intercept) {}

  /** {@code approvals:} (SPEC §5). */
  public record Approvals(boolean enabled, Duration timeout, Optional<Path> grantsFile) {}

  /**
   * {@code audit:}; no file means audit records go nowhere but metrics say so.
   *
   * @param maxSizeBytes rotate past this size; written like {@code 100MB} (KB/MB/GB are powers of
   *     1000, KiB/MiB/GiB powers of 1024) or as plain bytes
   */
  public record Audit(Optional<Path> file, long maxSizeBytes, int keep) {}

  /** {@code limits:}. */
  public record Limits(
      int maxHeaderBytes,
      Duration connectTimeout,
      Duration idleTimeout,
      int maxConnectionsPerAgent,
      int maxConnections) {}

  public static final Path DEFAULT_HOME =
      Path.of(System.getProperty("user.home", "."), ".gatehouse");

  public static ServerConfig defaults() {
    return new ServerConfig(
        new HostPort("127.0.0.1", 3128),
        new Admin(new HostPort("127.0.0.1", 3129), "GATEHOUSE_ADMIN_TOKEN"),
        Optional.empty(),
        new Dns(List.of(), Duration.ofSeconds(5)),
        new Tls(
            DEFAULT_HOME.resolve("ca.pem"),
            DEFAULT_HOME.resolve("ca-key.pem"),
            Optional.empty(),
            InterceptMode.AUTO),
        new Approvals(true, Duration.ofSeconds(60), Optional.empty()),
        new Audit(Optional.empty(), 100_000_000L, 10),
        new Limits(16384, Duration.ofSeconds(10), Duration.ofSeconds(120), 512, 10_000));
  }
}
