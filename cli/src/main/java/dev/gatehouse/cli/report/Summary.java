package dev.gatehouse.cli.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate of every audit line read: counters, the five dimensions and the timeline. Memory is
 * bounded by the dimensions' key caps, never by the number of lines.
 */
public final class Summary {
  static final int MAX_KEYS = 10_000;

  final ReportQuery query;
  final List<String> files;
  long lines;
  long malformed;
  long otherRecords;
  long decisions;
  long filteredOut;
  long matched;
  long deny;
  long ask;
  long allow;
  long notEnforced;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;

  /** Lines whose {@code ts} could not be read: kept out of time-filtered reports, counted here. */
  long untimed;

  final Dimension byAgent = new Dimension("agent", "By agent", MAX_KEYS);
  final Dimension byHost = new Dimension("host", "By host", MAX_KEYS);
  final Dimension byReason = new Dimension("reason", "By reason", MAX_KEYS);
  final Dimension byRule = new Dimension("rule", "By rule", MAX_KEYS);
  final Timeline timeline = new Timeline();
  final Suggestions suggestions = new Suggestions(MAX_KEYS);
  final Map<String, Long> otherTypes = new TreeMap<>();

  Summary(ReportQuery query, List<String> files) {
    this.query = query;
    this.files = List.copyOf(files);
  }

  List<Dimension> dimensions() {
    return List.of(byAgent, byHost, byReason, byRule);
  }

  void line(AuditLineParser parser, String line, AuditEntry e) {
    lines++;
    if (line.isBlank()) {
      return;
    }
    if (!parser.parse(line, e)) {
      malformed++;
      return;
    }
    if (!"decision".equals(e.type)) {
      otherRecords++;
      if (e.type != null && otherTypes.size() < 100) {
        otherTypes.merge(e.type, 1L, Long::sum);
      }
      return;
    }
    decisions++;
    if (e.decision == null || !query.decisions().contains(e.decision)) {
      filteredOut++;
      return;
    }
    if (e.tsMillis == AuditEntry.NO_TIME) {
      untimed++;
      return;
    }
    if (e.tsMillis < query.fromMillis() || e.tsMillis >= query.toMillis()) {
      filteredOut++;
      return;
    }
    if (query.agent().isPresent() && !query.agent().get().equals(e.agent)) {
      filteredOut++;
      return;
    }
    matched++;
    switch (e.decision) {
      case "deny" -> deny++;
      case "ask" -> ask++;
      default -> allow++;
    }
    if (!e.enforced) {
      notEnforced++;
    }
    first = Math.min(first, e.tsMillis);
    last = Math.max(last, e.tsMillis);
    byAgent.add(e.agent, e);
    byHost.add(e.host, e);
    byReason.add(e.reason, e);
    byRule.add(e.rule, e);
    timeline.add(e);
    suggestions.add(e);
  }

  /** {@code --suggest}: YAML rules that would allow what was blocked. */
  public String suggestRules() {
    return suggestions.yaml(this);
  }

  /** Calls that matched the query. */
  public long matched() {
    return matched;
  }

  List<Timeline.Bucket> buckets() {
    return timeline.buckets(query.fromMillis(), query.toMillis());
  }
}
