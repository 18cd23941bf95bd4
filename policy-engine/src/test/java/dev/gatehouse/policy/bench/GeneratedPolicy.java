package dev.gatehouse.policy.bench;

import dev.gatehouse.config.Location;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.DefaultsModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.NetworkModel;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.PortRange;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Synthetic policies for the benchmarks: {@code n} rules cycling through ten kinds so that even ten
 * rules hold every kind — exact names (4 in 10), {@code *.} and {@code **.} wildcards, IPv4 and
 * IPv6 CIDRs, method+path rules, deny and ask rules — plus an agent with rules of its own; and
 * requests that hit each kind and miss in each way (unknown host, port, method, path).
 */
public final class GeneratedPolicy {
  private GeneratedPolicy() {}

  private static final String FILE = "generated.yaml";

  private static <T> Located<T> at(T value, int line) {
    return new Located<>(value, new Location(FILE, line, 3));
  }

  private static List<Located<String>> list(int line, String... values) {
    List<Located<String>> out = new ArrayList<>();
    for (String v : values) {
      out.add(at(v, line));
    }
    return out;
  }

  static String exact(int i) {
    return "h" + i + ".svc" + (i % 251) + ".example.com";
  }

  static String below(int i) {
    return "z" + i + ".example.net";
  }

  static String selfAndBelow(int i) {
    return "w" + i + ".example.org";
  }

  static String v4Net(int i) {
    return (20 + ((i >> 16) & 0x3f)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
  }

  static String api(int i) {
    return "api" + i + ".example.com";
  }

  static RuleModel rule(int i) {
    int line = i + 10;
    Location loc = new Location(FILE, line, 5);
    Action action = Action.ALLOW;
    List<Located<String>> targets;
    Optional<List<Located<PortRange>>> ports = Optional.empty();
    Optional<List<Located<String>>> methods = Optional.empty();
    Optional<List<Located<String>>> paths = Optional.empty();
    switch (i % 10) {
      case 0, 1, 2, 3 -> targets = list(line, exact(i));
      case 4 -> targets = list(line, "*." + below(i));
      case 5 -> targets = list(line, "**." + selfAndBelow(i));
      case 6 ->
          targets =
              (i / 10) % 2 == 0
                  ? list(line, v4Net(i) + ".0/24")
                  : list(
                      line, "2a01:" + Integer.toHexString(i & 0xffff) + ":" + (i >> 16) + "::/48");
      case 7 -> {
        targets = list(line, api(i));
        methods = Optional.of(list(line, "GET", "POST"));
        paths = Optional.of(list(line, "/v1/**", "/repos/*/info"));
      }
      case 8 -> {
        action = Action.DENY;
        targets = list(line, "**.bad" + i + ".example.com");
      }
      default -> {
        action = Action.ASK;
        targets = list(line, "ask" + i + ".example.com");
        ports = Optional.of(List.of(at(PortRange.of(443), line), at(PortRange.of(8443), line)));
      }
    }
    return new RuleModel(
        at("rule-" + i, line),
        false,
        action,
        targets,
        ports,
        methods,
        paths,
        Optional.empty(),
        loc);
  }

  public static PolicyModel model(int rules) {
    List<RuleModel> top = new ArrayList<>(rules);
    for (int i = 0; i < rules; i++) {
      top.add(rule(i));
    }
    List<RuleModel> ciRules = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ciRules.add(rule(rules + i));
    }
    AgentModel ci =
        new AgentModel(
            at("ci", 1),
            Optional.of("00"),
            Optional.empty(),
            List.of(),
            Optional.of(Mode.ENFORCE),
            Optional.of(Action.DENY),
            ciRules,
            new Location(FILE, 1, 1));
    return new PolicyModel(
        FILE,
        "bench-" + rules,
        new DefaultsModel(Action.DENY, Mode.ENFORCE),
        new NetworkModel(true, List.of(), List.of()),
        top,
        List.of(ci),
        AnonymousPolicy.DEFAULT);
  }

  /** {@code count} requests against a policy of {@code rules} rules: about half hit a rule. */
  public static Request[] requests(int rules, int count, long seed) {
    return requests(rules, count, seed, rules);
  }

  /**
   * As {@link #requests(int, int, long)}, drawing only from the first {@code hotRules} rules: the
   * same work per request over a working set that stays in the CPU caches.
   */
  public static Request[] requests(int rules, int count, long seed, int hotRules) {
    Random random = new Random(seed);
    Request[] out = new Request[count];
    int spread = Math.min(rules, hotRules);
    for (int k = 0; k < count; k++) {
      int i = random.nextInt(spread);
      String agent = k % 3 == 0 ? "ci" : "dev";
      int variant = random.nextInt(4); // 0, 1: hit; 2: near miss; 3: unknown host
      out[k] =
          switch (variant) {
            case 0, 1 -> hit(agent, i, random);
            case 2 -> nearMiss(agent, i);
            default ->
                new Request(
                    agent, "GET", Host.parse("nohit" + (k % spread) + ".example.io"), 443, "/x");
          };
    }
    return out;
  }

  private static Request hit(String agent, int i, Random random) {
    return switch (i % 10) {
      case 0, 1, 2, 3 -> new Request(agent, "GET", Host.parse(exact(i)), 443, "/simple/pkg/");
      case 4 -> new Request(agent, "GET", Host.parse("a.b." + below(i)), 443, "/");
      case 5 -> new Request(agent, "GET", Host.parse(selfAndBelow(i)), 443, "/");
      case 6 ->
          (i / 10) % 2 == 0
              ? new Request(
                  agent, "GET", Host.parse(v4Net(i) + "." + (1 + random.nextInt(250))), 443, "/")
              : new Request(
                  agent,
                  "GET",
                  Host.parse("[2a01:" + Integer.toHexString(i & 0xffff) + ":" + (i >> 16) + "::7]"),
                  443,
                  "/");
      case 7 -> new Request(agent, "POST", Host.parse(api(i)), 443, "/v1/projects/x/../y");
      case 8 -> new Request(agent, "GET", Host.parse("x.bad" + i + ".example.com"), 443, "/");
      default -> new Request(agent, "GET", Host.parse("ask" + i + ".example.com"), 8443, "/");
    };
  }

  private static Request nearMiss(String agent, int i) {
    return switch (i % 10) {
      case 7 -> new Request(agent, "DELETE", Host.parse(api(i)), 443, "/v1/x");
      case 4 -> new Request(agent, "GET", Host.parse(below(i)), 443, "/");
      case 6 -> new Request(agent, "GET", Host.parse("11.1.1.1"), 443, "/");
      default -> new Request(agent, "GET", Host.parse(exact(i)), 8080, "/");
    };
  }
}
