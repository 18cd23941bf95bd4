package dev.gatehouse.cli.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code table}, {@code markdown} and {@code csv} formats. */
final class TextRenderer {
  private static final int BAR = 40;
  private static final int MAX_CELL = 60;

  private TextRenderer() {}

  // ---- table

  static String table(Summary s, Instant generatedAt, int top) {
    StringBuilder out = new StringBuilder();
    out.append(Rows.title(s)).append("\n\n");
    kv(out, "Generated", Rows.time(generatedAt.toEpochMilli()));
    kv(out, "Files", String.join(", ", s.files));
    kv(out, "Range", Rows.range(s));
    kv(out, "Agent", s.query.agent().orElse("all"));
    kv(out, "Lines", Rows.lines(s));
    kv(out, "Calls", Rows.totals(s));
    if (s.matched > 0) {
      kv(out, "Seen", Rows.time(s.first) + " to " + Rows.time(s.last));
    }
    for (Dimension d : s.dimensions()) {
      List<Stats> all = d.sorted();
      out.append('\n').append(d.title).append('\n');
      List<Rows.Column> cols = Rows.columns(s, d);
      List<List<String>> rows = new ArrayList<>();
      for (Stats st : all.subList(0, Math.min(top, all.size()))) {
        rows.add(Rows.row(s, d, st));
      }
      aligned(out, cols, rows);
      if (all.size() > top) {
        out.append("  (").append(all.size() - top).append(" more not shown; --top N)\n");
      }
    }
    List<Timeline.Bucket> buckets = s.buckets();
    if (!buckets.isEmpty()) {
      out.append("\nOver time (").append(Rows.width(buckets.get(0).width())).append(" buckets)\n");
      long max = buckets.stream().mapToLong(Timeline.Bucket::count).max().orElse(0);
      for (Timeline.Bucket b : buckets) {
        int len = max == 0 ? 0 : (int) Math.round((double) b.count() * BAR / max);
        if (b.count() > 0 && len == 0) {
          len = 1;
        }
        out.append("  ").append(Rows.bucket(b.start())).append("  ");
        out.append("#".repeat(len)).append(" ".repeat(BAR - len)).append("  ");
        out.append(b.count()).append('\n');
      }
    }
    return out.toString();
  }

  private static void kv(StringBuilder out, String k, String v) {
    out.append(k).append(" ".repeat(Math.max(1, 11 - k.length()))).append(v).append('\n');
  }

  private static void aligned(StringBuilder out, List<Rows.Column> cols, List<List<String>> rows) {
    int[] w = new int[cols.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = cols.get(i).header().length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], cell(r.get(i)).length());
      }
    }
    List<String> headers =
        cols.stream().map(c -> c.header().toUpperCase(java.util.Locale.ROOT)).toList();
    line(out, cols, headers, w);
    for (List<String> r : rows) {
      line(out, cols, r, w);
    }
  }

  private static void line(StringBuilder out, List<Rows.Column> cols, List<String> r, int[] w) {
    StringBuilder l = new StringBuilder("  ");
    for (int i = 0; i < w.length; i++) {
      String c = cell(r.get(i));
      String pad = " ".repeat(w[i] - c.length());
      if (cols.get(i).numeric()) {
        l.append(pad).append(c);
      } else {
        l.append(c).append(pad);
      }
      if (i < w.length - 1) {
        l.append("  ");
      }
    }
    out.append(l.toString().stripTrailing()).append('\n');
  }

  /** One terminal cell: control characters shown as '?', long values cut with an ellipsis. */
  private static String cell(String v) {
    StringBuilder b = new StringBuilder(Math.min(v.length(), MAX_CELL));
    for (int i = 0; i < v.length() && b.length() < MAX_CELL; i++) {
      char c = v.charAt(i);
      b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
    }
    if (v.length() > MAX_CELL) {
      b.setLength(MAX_CELL - 1);
      b.append('…');
    }
    return b.toString();
  }

  // ---- markdown

  static String markdown(Summary s, Instant generatedAt, int top) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(md(Rows.title(s))).append("\n\n");
    out.append("| | |\n| --- | --- |\n");
    mdkv(out, "Generated", Rows.time(generatedAt.toEpochMilli()));
    mdkv(out, "Files", String.join(", ", s.files));
    mdkv(out, "Range", Rows.range(s));
    mdkv(out, "Agent", s.query.agent().orElse("all"));
    mdkv(out, "Lines", Rows.lines(s));
    mdkv(out, "Calls", Rows.totals(s));
    if (s.matched > 0) {
      mdkv(out, "Seen", Rows.time(s.first) + " to " + Rows.time(s.last));
    }
    for (Dimension d : s.dimensions()) {
      List<Stats> all = d.sorted();
      out.append("\n## ").append(d.title).append("\n\n");
      List<Rows.Column> cols = Rows.columns(s, d);
      out.append('|');
      for (Rows.Column c : cols) {
        out.append(' ').append(c.header()).append(" |");
      }
      out.append("\n|");
      for (Rows.Column c : cols) {
        out.append(c.numeric() ? " ---: |" : " --- |");
      }
      out.append('\n');
      for (Stats st : all.subList(0, Math.min(top, all.size()))) {
        out.append('|');
        for (String v : Rows.row(s, d, st)) {
          out.append(' ').append(md(v)).append(" |");
        }
        out.append('\n');
      }
      if (all.size() > top) {
        out.append("\n").append(all.size() - top).append(" more not shown.\n");
      }
    }
    List<Timeline.Bucket> buckets = s.buckets();
    if (!buckets.isEmpty()) {
      out.append("\n## Over time (")
          .append(Rows.width(buckets.get(0).width()))
          .append(" buckets)\n\n");
      out.append("| bucket | calls | deny | ask |\n| --- | ---: | ---: | ---: |\n");
      for (Timeline.Bucket b : buckets) {
        out.append("| ").append(Rows.bucket(b.start())).append(" | ").append(b.count());
        out.append(" | ").append(b.deny()).append(" | ").append(b.ask()).append(" |\n");
      }
    }
    return out.toString();
  }

  private static void mdkv(StringBuilder out, String k, String v) {
    out.append("| ").append(k).append(" | ").append(md(v)).append(" |\n");
  }

  /** Markdown-inert text: escapes what could make a table cell, a link or markup. */
  static String md(String v) {
    StringBuilder b = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(' ');
      } else if ("\\|`*_[]<>~".indexOf(c) >= 0) {
        b.append('\\').append(c);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  // ---- csv (RFC 4180; long form: one row per dimension key)

  static String csv(Summary s) {
    StringBuilder out = new StringBuilder();
    boolean allows = s.query.includesAllows();
    out.append("dimension,key,calls,deny,ask,");
    if (allows) {
      out.append("allow,");
    }
    out.append("report_only,first_seen,last_seen,agents,example\r\n");
    csvRow(
        out,
        allows,
        "total",
        "all",
        s.matched,
        s.deny,
        s.ask,
        s.allow,
        s.notEnforced,
        s.matched == 0 ? "" : Rows.time(s.first),
        s.matched == 0 ? "" : Rows.time(s.last),
        "",
        "");
    for (Dimension d : s.dimensions()) {
      for (Stats st : d.sorted()) {
        csvRow(
            out,
            allows,
            d.name,
            st.key,
            st.count,
            st.deny,
            st.ask,
            st.allow,
            st.notEnforced,
            Rows.time(st.first),
            Rows.time(st.last),
            d == s.byAgent ? "" : st.agentList(),
            st.example == null ? "" : st.example);
      }
    }
    for (Timeline.Bucket b : s.buckets()) {
      csvRow(
          out,
          allows,
          "time_" + Rows.width(b.width()),
          Rows.time(b.start()),
          b.count(),
          b.deny(),
          b.ask(),
          b.count() - b.deny() - b.ask(),
          -1,
          "",
          "",
          "",
          "");
    }
    return out.toString();
  }

  private static void csvRow(
      StringBuilder out,
      boolean allows,
      String dim,
      String key,
      long calls,
      long deny,
      long ask,
      long allow,
      long notEnforced,
      String first,
      String last,
      String agents,
      String example) {
    out.append(csv(dim)).append(',').append(csv(key)).append(',').append(calls).append(',');
    out.append(deny).append(',').append(ask).append(',');
    if (allows) {
      out.append(allow).append(',');
    }
    out.append(notEnforced < 0 ? "" : Long.toString(notEnforced)).append(',');
    out.append(csv(first)).append(',').append(csv(last)).append(',').append(csv(agents));
    out.append(',').append(csv(example)).append("\r\n");
  }

  /**
   * One CSV field, quoted when needed; a value that a spreadsheet would run as a formula (leading
   * {@code = + - @}, tab or CR) is prefixed with a quote character (OWASP CSV injection).
   */
  static String csv(String v) {
    String s = v;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(',') >= 0
        || s.indexOf('"') >= 0
        || s.indexOf('\n') >= 0
        || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
