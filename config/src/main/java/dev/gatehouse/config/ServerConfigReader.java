package dev.gatehouse.config;

import dev.gatehouse.config.model.HostPort;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.config.yaml.KeyPaths;
import dev.gatehouse.config.yaml.YamlMapping;
import dev.gatehouse.config.yaml.YamlNode;
import dev.gatehouse.config.yaml.YamlReader;
import dev.gatehouse.config.yaml.YamlScalar;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServerConfig} from {@code gatehouse.yaml}'s tree (SPEC §9). Every key is optional
 * and falls back to {@link ServerConfig#defaults()}; unknown keys and bad values are located
 * errors. Relative paths resolve against the config file's folder, {@code ~/} against the user's
 * home.
 */
final class ServerConfigReader {
  static final List<String> TOP_KEYS =
      List.of("listen", "admin", "policy", "dns", "tls", "approvals", "audit", "limits");
  static final List<String> ADMIN_KEYS = List.of("listen", "token_env");
  static final List<String> DNS_KEYS = List.of("servers", "timeout");
  static final List<String> TLS_KEYS = List.of("ca_cert", "ca_key", "upstream_ca", "intercept");
  static final List<String> APPROVALS_KEYS = List.of("enabled", "timeout", "grants_file");
  static final List<String> AUDIT_KEYS = List.of("file", "max_size", "keep");
  static final List<String> LIMITS_KEYS =
      List.of(
          "max_header_bytes",
          "connect_timeout",
          "idle_timeout",
          "max_connections_per_agent",
          "max_connections");

  private static final Map<String, ServerConfig.InterceptMode> INTERCEPT =
      NodeReader.choices(
          ServerConfig.InterceptMode.values(), mode -> mode.name().toLowerCase(Locale.ROOT));

  private final NodeReader in;
  private final Path baseDir;
  private final Path home;

  private ServerConfigReader(NodeReader in, Path baseDir, Path home) {
    this.in = in;
    this.baseDir = baseDir;
    this.home = home;
  }

  static ServerConfigLoader.Result read(byte[] bytes, String source, Path baseDir, Path home) {
    YamlReader.Parsed parsed = YamlReader.read(bytes, source);
    NodeReader in = new NodeReader(parsed.diagnostics());
    if (parsed.root().isEmpty()) {
      // An empty file is a valid config: every key is optional.
      return new ServerConfigLoader.Result(
          in.hasErrors() ? Optional.empty() : Optional.of(ServerConfig.defaults()),
          in.sortedDiagnostics());
    }
    Optional<Map<String, YamlMapping.Entry>> fields =
        in.fields(parsed.root().get(), "", TOP_KEYS, "a server configuration");
    if (fields.isEmpty()) {
      return new ServerConfigLoader.Result(Optional.empty(), in.sortedDiagnostics());
    }
    ServerConfig config = new ServerConfigReader(in, baseDir, home).config(fields.get());
    return new ServerConfigLoader.Result(
        in.hasErrors() ? Optional.empty() : Optional.of(config), in.sortedDiagnostics());
  }

  private ServerConfig config(Map<String, YamlMapping.Entry> top) {
    ServerConfig d = ServerConfig.defaults();

    HostPort listen = listen(top.get("listen"), "listen", d.listen());

    ServerConfig.Admin admin = d.admin();
    Map<String, YamlMapping.Entry> f = section(top, "admin", ADMIN_KEYS);
    admin =
        new ServerConfig.Admin(
            listen(f.get("listen"), "admin.listen", admin.listen()),
            envName(f.get("token_env"), "admin.token_env", admin.tokenEnv()));

    Optional<Path> policy = optionalPath(top.get("policy"), "policy", d.policy());

    f = section(top, "dns", DNS_KEYS);
    ServerConfig.Dns dns =
        new ServerConfig.Dns(
            dnsServers(f.get("servers"), "dns.servers", d.dns().servers()),
            duration(f.get("timeout"), "dns.timeout", d.dns().timeout()));

    f = section(top, "tls", TLS_KEYS);
    ServerConfig.Tls tls =
        new ServerConfig.Tls(
            path(f.get("ca_cert"), "tls.ca_cert", d.tls().caCert()),
            path(f.get("ca_key"), "tls.ca_key", d.tls().caKey()),
            optionalPath(f.get("upstream_ca"), "tls.upstream_ca", d.tls().upstreamCa()),
            f.containsKey("intercept")
                ? in.choice(f.get("intercept").value(), "tls.intercept", INTERCEPT)
                    .orElse(d.tls().intercept())
                : d.tls().intercept());

    f = section(top, "approvals", APPROVALS_KEYS);
    ServerConfig.Approvals approvals =
        new ServerConfig.Approvals(
            f.containsKey("enabled")
                ? in.bool(f.get("enabled").value(), "approvals.enabled")
                    .orElse(d.approvals().enabled())
                : d.approvals().enabled(),
            duration(f.get("timeout"), "approvals.timeout", d.approvals().timeout()),
            optionalPath(
                f.get("grants_file"), "approvals.grants_file", d.approvals().grantsFile()));

    f = section(top, "audit", AUDIT_KEYS);
    ServerConfig.Audit audit =
        new ServerConfig.Audit(
            optionalPath(f.get("file"), "audit.file", d.audit().file()),
            size(
                f.get("max_size"),
                "audit.max_size",
                d.audit().maxSizeBytes(),
                1024,
                Long.MAX_VALUE),
            integer(f.get("keep"), "audit.keep", d.audit().keep(), 0, 1000));

    f = section(top, "limits", LIMITS_KEYS);
    ServerConfig.Limits l = d.limits();
    ServerConfig.Limits limits =
        new ServerConfig.Limits(
            (int)
                size(
                    f.get("max_header_bytes"),
                    "limits.max_header_bytes",
                    l.maxHeaderBytes(),
                    1024,
                    1024L * 1024),
            duration(f.get("connect_timeout"), "limits.connect_timeout", l.connectTimeout()),
            duration(f.get("idle_timeout"), "limits.idle_timeout", l.idleTimeout()),
            integer(
                f.get("max_connections_per_agent"),
                "limits.max_connections_per_agent",
                l.maxConnectionsPerAgent(),
                1,
                10_000_000),
            integer(
                f.get("max_connections"),
                "limits.max_connections",
                l.maxConnections(),
                1,
                10_000_000));

    return new ServerConfig(listen, admin, policy, dns, tls, approvals, audit, limits);
  }

  private Map<String, YamlMapping.Entry> section(
      Map<String, YamlMapping.Entry> top, String key, List<String> known) {
    YamlMapping.Entry entry = top.get(key);
    if (entry == null) {
      return Map.of();
    }
    return in.fields(entry.value(), key, known, key + " settings").orElse(Map.of());
  }

  private HostPort listen(YamlMapping.Entry entry, String path, HostPort fallback) {
    if (entry == null) {
      return fallback;
    }
    Optional<HostPort> value =
        in.string(entry.value(), path, "an address like 127.0.0.1:3128")
            .flatMap(
                s -> {
                  Optional<HostPort> parsed = Values.hostPort(s.value(), -1, 0);
                  if (parsed.isEmpty()) {
                    in.error(
                        entry.value(),
                        path,
                        "expected an address like 127.0.0.1:3128 or [::1]:3128 (port 0-65535),"
                            + " got '"
                            + KeyPaths.shown(s.value())
                            + "'");
                  }
                  return parsed;
                });
    return value.orElse(fallback);
  }

  private List<HostPort> dnsServers(YamlMapping.Entry entry, String path, List<HostPort> fallback) {
    if (entry == null || isNull(entry.value())) {
      return fallback;
    }
    Optional<List<dev.gatehouse.config.model.Located<String>>> items =
        in.strings(entry.value(), path, "DNS servers (e.g. [\"127.0.0.1:5353\"])", true);
    if (items.isEmpty()) {
      return fallback;
    }
    List<HostPort> servers = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      var item = items.get().get(i);
      Optional<HostPort> server =
          Values.hostPort(item.value(), 53, 1).filter(h -> Values.isIpLiteral(h.host()));
      if (server.isPresent()) {
        servers.add(server.get());
      } else {
        in.error(
            item.location(),
            KeyPaths.index(path, i),
            "expected a DNS server IP address like 127.0.0.1:5353, [::1]:53 or 127.0.0.1 (port 53),"
                + " got '"
                + KeyPaths.shown(item.value())
                + "'");
      }
    }
    return servers;
  }

  private String envName(YamlMapping.Entry entry, String path, String fallback) {
    if (entry == null) {
      return fallback;
    }
    Optional<String> name =
        in.string(entry.value(), path, "an environment variable name").map(l -> l.value());
    if (name.isPresent() && !PolicyReader.ENV_NAME.matcher(name.get()).matches()) {
      in.error(
          entry.value(),
          path,
          "expected an environment variable name (letters, digits and _, not starting with a"
              + " digit), e.g. GATEHOUSE_ADMIN_TOKEN");
      return fallback;
    }
    return name.orElse(fallback);
  }

  private Duration duration(YamlMapping.Entry entry, String path, Duration fallback) {
    if (entry == null) {
      return fallback;
    }
    YamlNode node = entry.value();
    Optional<Duration> value =
        node instanceof YamlScalar s && !s.isNull() ? Values.duration(s.text()) : Optional.empty();
    if (value.isEmpty()) {
      String got = NodeReader.shown(node);
      String hint =
          node instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT
              ? " (a unit is required: did you mean '" + s.text() + "s'?)"
              : "";
      in.error(node, path, "expected " + Values.DURATION_HINT + ", got " + got + hint);
      return fallback;
    }
    if (value.get().isZero()) {
      in.error(node, path, "expected a duration greater than zero");
      return fallback;
    }
    return value.get();
  }

  private long size(YamlMapping.Entry entry, String path, long fallback, long min, long max) {
    if (entry == null) {
      return fallback;
    }
    YamlNode node = entry.value();
    Optional<Long> value =
        node instanceof YamlScalar s && !s.isNull() ? Values.size(s.text()) : Optional.empty();
    if (value.isEmpty()) {
      String got = NodeReader.shown(node);
      in.error(node, path, "expected " + Values.SIZE_HINT + ", got " + got);
      return fallback;
    }
    if (value.get() < min || value.get() > max) {
      in.error(
          node,
          path,
          value.get() < min
              ? "size " + value.get() + " bytes is below the minimum of " + min + " bytes"
              : "size " + value.get() + " bytes is above the maximum of " + max + " bytes");
      return fallback;
    }
    return value.get();
  }

  private int integer(YamlMapping.Entry entry, String path, int fallback, int min, int max) {
    if (entry == null) {
      return fallback;
    }
    return in.integer(entry.value(), path, path.substring(path.lastIndexOf('.') + 1), min, max)
        .orElse(fallback);
  }

  private Path path(YamlMapping.Entry entry, String path, Path fallback) {
    if (entry == null) {
      return fallback;
    }
    return in.string(entry.value(), path, "a file path")
        .flatMap(s -> resolve(s.value(), entry.value(), path))
        .orElse(fallback);
  }

  private Optional<Path> optionalPath(
      YamlMapping.Entry entry, String path, Optional<Path> fallback) {
    if (entry == null) {
      return fallback;
    }
    if (isNull(entry.value())) {
      return Optional.empty();
    }
    return in.string(entry.value(), path, "a file path")
        .map(s -> resolve(s.value(), entry.value(), path))
        .orElse(fallback);
  }

  private Optional<Path> resolve(String text, YamlNode node, String path) {
    try {
      Path p;
      if (text.equals("~")) {
        p = home;
      } else if (text.startsWith("~/")) {
        p = home.resolve(text.substring(2));
      } else {
        p = baseDir.resolve(text);
      }
      return Optional.of(p.normalize());
    } catch (InvalidPathException e) {
      in.error(node, path, "not a valid file path: '" + KeyPaths.shown(text) + "'");
      return Optional.empty();
    }
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlScalar s && s.isNull();
  }
}
