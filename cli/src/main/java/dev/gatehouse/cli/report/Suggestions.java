package dev.gatehouse.cli.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects blocked calls by destination (host and port) and writes policy rules that would allow
 * them ({@code --suggest}). Only calls that the policy's default decided can be opened by an allow
 * rule: a deny or ask rule wins over any allow rule (SPEC §2.3), and address checks (§2.4) cannot
 * be opened by a rule at all, so those are listed as comments. Calls that were never policy
 * decisions (bad requests, authentication, upstream errors) are left out.
 */
final class Suggestions {
  private static final Set<String> NOT_POLICY =
      Set.of("auth_required", "auth_failed", "bad_request", "upstream_error");
  private static final Set<String> ADDRESS = Set.of("private_address", "denied_cidr");
  private static final int MAX_METHODS = 16;
  private static final int MAX_PATHS = 10;

  /** One destination. */
  static final class Target {
    final String host;
    final int port;
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    boolean tunnel;
    final Set<String> methods = new TreeSet<>();
    final Set<String> paths = new HashSet<>(); // sorted when written
    boolean tooManyPaths;
    boolean pathBlocked;
    boolean addressBlocked;
    final Set<String> agents = new TreeSet<>();
    boolean moreAgents;
    final Map<String, Long> reasons = new TreeMap<>();
    final Map<String, Long> blockingRules = new TreeMap<>();
    String example;
    long exampleTs = Long.MAX_VALUE;

    Target(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private final int maxKeys;

  /** By host, then a short list by port (no key string built per line). */
  private final Map<String, List<Target>> allowable = new HashMap<>();

  private final Map<String, List<Target>> notAllowable = new HashMap<>();
  private int allowableCount;
  private int notAllowableCount;
  long skipped;
  long overflow;

  Suggestions(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  void add(AuditEntry e) {
    if (!"deny".equals(e.decision) && !"ask".equals(e.decision)) {
      return;
    }
    if (e.host == null || e.port <= 0 || e.reason == null || NOT_POLICY.contains(e.reason)) {
      skipped++;
      return;
    }
    boolean byDefault = e.rule == null || "default".equals(e.rule);
    boolean canAllow = !ADDRESS.contains(e.reason) && byDefault;
    Map<String, List<Target>> into = canAllow ? allowable : notAllowable;
    List<Target> byPort = into.get(e.host);
    Target t = null;
    if (byPort != null) {
      for (Target candidate : byPort) {
        if (candidate.port == e.port) {
          t = candidate;
          break;
        }
      }
    }
    if (t == null) {
      if ((canAllow ? allowableCount : notAllowableCount) >= maxKeys) {
        overflow++;
        return;
      }
      t = new Target(e.host, e.port);
      into.computeIfAbsent(e.host, h -> new ArrayList<>(1)).add(t);
      if (canAllow) {
        allowableCount++;
      } else {
        notAllowableCount++;
      }
    }
    t.count++;
    t.first = Math.min(t.first, e.tsMillis);
    t.last = Math.max(t.last, e.tsMillis);
    t.reasons.merge(e.reason, 1L, Long::sum);
    if (!byDefault) {
      t.blockingRules.merge(e.rule, 1L, Long::sum);
    }
    if ("CONNECT".equals(e.method)) {
      t.tunnel = true;
    } else if (e.method != null && t.methods.size() < MAX_METHODS) {
      t.methods.add(e.method);
    }
    if ("path_not_allowed".equals(e.reason)) {
      t.pathBlocked = true;
    }
    if (ADDRESS.contains(e.reason)) {
      t.addressBlocked = true;
    }
    // every path seen, so that a rule with paths (one rule must match method AND path) allows
    // each blocked call, not only those blocked for their path
    if (!"CONNECT".equals(e.method) && !t.tooManyPaths) {
      String path = path(e.url);
      if (path == null || path.contains("*")) {
        t.tooManyPaths = true;
      } else if (!t.paths.contains(path)) {
        if (t.paths.size() >= MAX_PATHS) {
          t.tooManyPaths = true;
        } else {
          t.paths.add(path);
        }
      }
    }
    if (e.agent != null && !t.agents.contains(e.agent)) {
      if (t.agents.size() < Stats.MAX_AGENTS) {
        t.agents.add(e.agent);
      } else {
        t.moreAgents = true;
      }
    }
    String url = e.url == null ? "" : e.url;
    if (e.tsMillis < t.exampleTs || e.tsMillis == t.exampleTs && url.compareTo(t.example) < 0) {
      t.exampleTs = e.tsMillis;
      t.example = url;
    }
  }

  private static String path(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int slash = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return slash < 0 ? "/" : url.substring(slash);
  }

  private static List<Target> sorted(Map<String, List<Target>> m) {
    List<Target> list = new ArrayList<>();
    m.values().forEach(list::addAll);
    list.sort(
        Comparator.comparingLong((Target t) -> -t.count)
            .thenComparing(t -> t.host)
            .thenComparingInt(t -> t.port));
    return list;
  }

  /** The suggested rules as YAML, to paste under a policy's {@code rules:}. */
  String yaml(Summary summary) {
    StringBuilder out = new StringBuilder();
    out.append("# Suggested by `gatehouse report --suggest`: rules that would allow what was\n");
    out.append("# blocked (")
        .append(summary.matched)
        .append(" calls read from ")
        .append(summary.files.size())
        .append(summary.files.size() == 1 ? " file" : " files")
        .append("). Review each rule before adding it under the policy's `rules:`;\n");
    out.append(
        "# a rule allows every agent: move it under `agents: <name>: rules:` to allow one.\n");
    List<Target> rules = sorted(allowable);
    if (rules.isEmpty()) {
      out.append("rules: []\n");
    } else {
      out.append("rules:\n");
    }
    Set<String> ids = new HashSet<>();
    for (Target t : rules) {
      String id = uniqueId(t, ids);
      out.append("  # ").append(countLine(t)).append('\n');
      if (t.example != null && !t.example.isEmpty()) {
        out.append("  # e.g. ").append(comment(t.example)).append('\n');
      }
      out.append("  - id: ").append(id).append('\n');
      out.append("    allow: [").append(quote(t.host)).append("]\n");
      if (t.port != 80 && t.port != 443) {
        out.append("    ports: [").append(t.port).append("]\n");
      }
      // methods or paths on a rule make HTTPS to the host intercepted; a tunnel stays a tunnel
      if (!t.tunnel && !t.methods.isEmpty()) {
        out.append("    methods: [").append(String.join(", ", t.methods)).append("]\n");
      }
      if (!t.tunnel && t.pathBlocked && t.tooManyPaths) {
        out.append("    # more than ")
            .append(MAX_PATHS)
            .append(" distinct paths (or a path with '*'): add `paths:` by hand\n");
      }
      if (!t.tunnel && t.pathBlocked && !t.tooManyPaths && !t.paths.isEmpty()) {
        out.append("    paths: [");
        boolean firstPath = true;
        for (String p : new TreeSet<>(t.paths)) {
          if (!firstPath) {
            out.append(", ");
          }
          firstPath = false;
          out.append(quote(p));
        }
        out.append("]\n");
      }
    }
    List<Target> others = sorted(notAllowable);
    if (!others.isEmpty()) {
      out.append("# Not suggested: an allow rule cannot open these.\n");
      for (Target t : others) {
        out.append("#   ").append(comment(t.host)).append(':').append(t.port).append(" - ");
        out.append(t.count).append(t.count == 1 ? " call" : " calls").append(", ");
        if (!t.addressBlocked && !t.blockingRules.isEmpty()) {
          out.append("decided by rule ")
              .append(comment(String.join(", ", t.blockingRules.keySet())))
              .append(" (deny and ask rules win over allow rules: change that rule instead)");
        } else {
          out.append(comment(String.join(", ", t.reasons.keySet())))
              .append(" (address checks: only network.allow_cidrs can open an address)");
        }
        out.append('\n');
      }
    }
    if (skipped > 0) {
      out.append("# ")
          .append(skipped)
          .append(" blocked calls were not policy decisions (bad requests, authentication,")
          .append(" upstream errors) and need no rule.\n");
    }
    if (overflow > 0) {
      out.append("# ")
          .append(overflow)
          .append(" calls to further destinations were not grouped.\n");
    }
    return out.toString();
  }

  private static String countLine(Target t) {
    StringBuilder b = new StringBuilder();
    b.append(t.count).append(t.count == 1 ? " blocked call (" : " blocked calls (");
    boolean first = true;
    for (Map.Entry<String, Long> r : t.reasons.entrySet()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append(r.getKey()).append(' ').append(r.getValue());
    }
    b.append(") by ").append(String.join(", ", t.agents)).append(t.moreAgents ? ", ..." : "");
    b.append("; ").append(Instant.ofEpochMilli(t.first)).append(" .. ");
    b.append(Instant.ofEpochMilli(t.last));
    return comment(b.toString());
  }

  private static String uniqueId(Target t, Set<String> ids) {
    String base =
        "allow-" + t.host.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    base = base.replaceAll("-+$", "");
    if (t.port != 80 && t.port != 443) {
      base += "-" + t.port;
    }
    String id = base;
    for (int n = 2; !ids.add(id); n++) {
      id = base + "-" + n;
    }
    return id;
  }

  /** A YAML double-quoted scalar. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Text safe inside a YAML comment: one line, no control characters. */
  static String comment(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' ? '?' : c);
    }
    return b.toString();
  }
}
