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

  private static final byte[] ALLOW = bytes("\"decision\":\"allow\"");
  private static final byte[] DECISION_TYPE = bytes("\"type\":\"decision\"");
  private static final int DECISION_TYPE_AT = "{\"ts\":\"2026-11-27T01:02:03.004Z\",".length();
  private final boolean skipAllowWithoutParsing;

  Summary(ReportQuery query, List<String> files) {
    this.query = query;
    this.skipAllowWithoutParsing = !query.decisions().contains("allow");
    this.files = List.copyOf(files);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Counts and skips an allowed call without decoding it, when allowed calls are not wanted. Only
   * for Gatehouse's own layout ({"ts":"<24 chars>","type":"decision",...), whose decision records
   * are flat, and "decision":"allow" cannot occur inside a JSON string (its quotes would be
   * escaped): so this matches exactly the allowed calls' own key. Other lines are parsed.
   */
  boolean skipWithoutDecoding(byte[] b, int from, int to) {
    if (!skipAllowWithoutParsing
        || !regionMatches(b, from + DECISION_TYPE_AT, to, DECISION_TYPE)
        || indexOf(b, from + DECISION_TYPE_AT + DECISION_TYPE.length, to, ALLOW) < 0) {
      return false;
    }
    lines++;
    decisions++;
    filteredOut++;
    return true;
  }

  private static boolean regionMatches(byte[] b, int at, int to, byte[] what) {
    if (at + what.length > to) {
      return false;
    }
    for (int k = 0; k < what.length; k++) {
      if (b[at + k] != what[k]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int from, int to, byte[] what) {
    byte first = what[0];
    for (int i = from, last = to - what.length; i <= last; i++) {
      if (b[i] == first && regionMatches(b, i, to, what)) {
        return i;
      }
    }
    return -1;
  }

  /** A line longer than the reader's limit: counted as read and malformed. */
  void overlong() {
    lines++;
    malformed++;
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
