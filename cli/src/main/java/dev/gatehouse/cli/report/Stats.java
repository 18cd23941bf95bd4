package dev.gatehouse.cli.report;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Counts for one key of one dimension (an agent, a host, a reason, a rule, a time bucket). */
final class Stats {
  static final int MAX_AGENTS = 8;

  final String key;
  long count;
  long deny;
  long ask;
  long allow;
  long notEnforced;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;

  /**
   * The earliest call's URL (ties: the smaller URL), so the example is the same in any file order.
   */
  String example;

  long exampleTs = Long.MAX_VALUE;
  final Set<String> agents = new HashSet<>();
  boolean moreAgents;

  Stats(String key) {
    this.key = key;
  }

  void add(AuditEntry e) {
    count++;
    switch (e.decision) {
      case "deny" -> deny++;
      case "ask" -> ask++;
      case "allow" -> allow++;
      default -> {}
    }
    if (!e.enforced) {
      notEnforced++;
    }
    long ts = e.tsMillis;
    if (ts < first) {
      first = ts;
    }
    if (ts > last) {
      last = ts;
    }
    String url = e.url == null ? "" : e.url;
    if (ts < exampleTs || ts == exampleTs && url.compareTo(example) < 0) {
      exampleTs = ts;
      example = url;
    }
    if (e.agent != null && !agents.contains(e.agent)) {
      if (agents.size() < MAX_AGENTS) {
        agents.add(e.agent);
      } else {
        moreAgents = true;
      }
    }
  }

  /** Agents seen, in order, with {@code ...} when there were more than {@link #MAX_AGENTS}. */
  String agentList() {
    return String.join(", ", sortedAgents()) + (moreAgents ? ", ..." : "");
  }

  List<String> sortedAgents() {
    return List.copyOf(new TreeSet<>(agents));
  }
}
