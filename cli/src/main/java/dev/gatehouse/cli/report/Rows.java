package dev.gatehouse.cli.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The dimension tables as rows of cells, shared by the table, Markdown, CSV and HTML formats. */
final class Rows {
  private Rows() {}

  /** One column: its header and whether it holds numbers (right-aligned, sorted numerically). */
  record Column(String header, boolean numeric) {}

  static List<Column> columns(Summary s, Dimension d) {
    List<Column> c = new ArrayList<>();
    c.add(new Column(d.name, false));
    c.add(new Column("calls", true));
    c.add(new Column("deny", true));
    c.add(new Column("ask", true));
    if (s.query.includesAllows()) {
      c.add(new Column("allow", true));
    }
    c.add(new Column("report_only", true));
    c.add(new Column("first_seen", false));
    c.add(new Column("last_seen", false));
    if (d != s.byAgent) {
      c.add(new Column("agents", false));
    }
    c.add(new Column("example", false));
    return c;
  }

  static List<String> row(Summary s, Dimension d, Stats st) {
    List<String> r = new ArrayList<>();
    r.add(st.key);
    r.add(Long.toString(st.count));
    r.add(Long.toString(st.deny));
    r.add(Long.toString(st.ask));
    if (s.query.includesAllows()) {
      r.add(Long.toString(st.allow));
    }
    r.add(Long.toString(st.notEnforced));
    r.add(time(st.first));
    r.add(time(st.last));
    if (d != s.byAgent) {
      r.add(st.agentList());
    }
    r.add(st.example == null ? "" : st.example);
    return r;
  }

  /** RFC 3339 UTC to the second. */
  static String time(long millis) {
    if (millis == Long.MAX_VALUE || millis == Long.MIN_VALUE) {
      return "";
    }
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A bucket's start: to the minute. */
  static String bucket(long millis) {
    String t = time(millis);
    return t.endsWith(":00Z") ? t.substring(0, t.length() - 4) + "Z" : t;
  }

  static String width(long millis) {
    if (millis % Timeline.DAY == 0) {
      long d = millis / Timeline.DAY;
      return d == 7 ? "1w" : d + "d";
    }
    if (millis % Timeline.HOUR == 0) {
      return millis / Timeline.HOUR + "h";
    }
    return millis / Timeline.MINUTE + "m";
  }

  static String title(Summary s) {
    if (s.query.includesAllows() && s.query.decisions().size() == 3) {
      return "Gatehouse report: all calls";
    }
    List<String> d = new ArrayList<>(s.query.decisions());
    d.sort(null);
    return "Gatehouse report: blocked calls (" + String.join(", ", d) + ")";
  }

  static String range(Summary s) {
    String from = s.query.from().map(t -> time(t.toEpochMilli())).orElse("the beginning");
    String to = s.query.to().map(t -> time(t.toEpochMilli())).orElse("the end");
    return s.query.from().isEmpty() && s.query.to().isEmpty()
        ? "everything in the files"
        : from + " to " + to;
  }

  static String totals(Summary s) {
    StringBuilder b = new StringBuilder();
    b.append(s.matched).append(" (deny ").append(s.deny).append(", ask ").append(s.ask);
    if (s.query.includesAllows()) {
      b.append(", allow ").append(s.allow);
    }
    b.append("; ").append(s.notEnforced).append(" in report mode, not enforced)");
    return b.toString();
  }

  static String lines(Summary s) {
    StringBuilder b = new StringBuilder();
    b.append(s.lines).append(" read, ").append(s.decisions).append(" decisions, ");
    b.append(s.otherRecords).append(" other records, ").append(s.malformed).append(" malformed");
    if (s.untimed > 0) {
      b.append(", ").append(s.untimed).append(" without a timestamp");
    }
    return b.toString();
  }
}
