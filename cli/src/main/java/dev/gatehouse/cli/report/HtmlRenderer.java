package dev.gatehouse.cli.report;

import java.time.Instant;
import java.util.List;

/**
 * The {@code html} format: one self-contained page (inline CSS, SVG and script; no external
 * resource, so it can be mailed or attached to a ticket) with the totals, a bar chart of calls over
 * time and tables sortable by clicking their headers. Every value from the audit file is
 * HTML-escaped.
 */
final class HtmlRenderer {
  private static final int CHART_W = 900;
  private static final int CHART_H = 220;
  private static final int PAD_L = 50;
  private static final int PAD_B = 40;

  private HtmlRenderer() {}

  static String render(Summary s, Instant generatedAt) {
    StringBuilder o = new StringBuilder(16_384);
    o.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    o.append("<title>").append(h(Rows.title(s))).append("</title>\n");
    o.append(
        """
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
        table{border-collapse:collapse;font-size:.9em}
        th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f3f3f3;cursor:pointer;user-select:none}
        th.num,td.num{text-align:right}
        th[aria-sort=ascending]::after{content:" \\25B2"}
        th[aria-sort=descending]::after{content:" \\25BC"}
        td.ex{max-width:40em;overflow-wrap:anywhere}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}
        svg text{font-size:11px;fill:#444}
        </style>
        </head>
        <body>
        """);
    o.append("<h1>").append(h(Rows.title(s))).append("</h1>\n<dl>\n");
    dt(o, "Generated", Rows.time(generatedAt.toEpochMilli()));
    dt(o, "Files", String.join(", ", s.files));
    dt(o, "Range", Rows.range(s));
    dt(o, "Agent", s.query.agent().orElse("all"));
    dt(o, "Lines", Rows.lines(s));
    dt(o, "Calls", Rows.totals(s));
    if (s.matched > 0) {
      dt(o, "Seen", Rows.time(s.first) + " to " + Rows.time(s.last));
    }
    o.append("</dl>\n");
    chart(o, s.buckets());
    for (Dimension d : s.dimensions()) {
      o.append("<h2>").append(h(d.title)).append("</h2>\n<table class=\"sortable\">\n<thead><tr>");
      List<Rows.Column> cols = Rows.columns(s, d);
      for (Rows.Column c : cols) {
        o.append(c.numeric() ? "<th class=\"num\">" : "<th>").append(h(c.header())).append("</th>");
      }
      o.append("</tr></thead>\n<tbody>\n");
      for (Stats st : d.sorted()) {
        o.append("<tr>");
        List<String> row = Rows.row(s, d, st);
        for (int i = 0; i < row.size(); i++) {
          boolean num = cols.get(i).numeric();
          boolean ex = cols.get(i).header().equals("example");
          o.append(num ? "<td class=\"num\">" : ex ? "<td class=\"ex\">" : "<td>");
          o.append(h(row.get(i))).append("</td>");
        }
        o.append("</tr>\n");
      }
      o.append("</tbody>\n</table>\n");
    }
    o.append(
        """
        <script>
        document.querySelectorAll('table.sortable th').forEach(function (th, _, all) {
          th.addEventListener('click', function () {
            var table = th.closest('table'), body = table.tBodies[0];
            var col = Array.prototype.indexOf.call(th.parentNode.children, th);
            var asc = th.getAttribute('aria-sort') !== 'ascending';
            th.parentNode.querySelectorAll('th').forEach(function (o) { o.removeAttribute('aria-sort'); });
            th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
            var num = th.classList.contains('num');
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col].textContent, y = b.cells[col].textContent;
              var c = num ? (Number(x) - Number(y)) : x.localeCompare(y);
              return asc ? c : -c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
        </script>
        </body>
        </html>
        """);
    return o.toString();
  }

  private static void chart(StringBuilder o, List<Timeline.Bucket> buckets) {
    if (buckets.isEmpty()) {
      return;
    }
    o.append("<h2>Over time (")
        .append(Rows.width(buckets.get(0).width()))
        .append(" buckets)</h2>\n");
    long max = Math.max(1, buckets.stream().mapToLong(Timeline.Bucket::count).max().orElse(1));
    int plotW = CHART_W - PAD_L - 10;
    int plotH = CHART_H - PAD_B - 10;
    double bw = (double) plotW / buckets.size();
    o.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(CHART_W)
        .append("\" height=\"")
        .append(CHART_H)
        .append("\" viewBox=\"0 0 ")
        .append(CHART_W)
        .append(' ')
        .append(CHART_H)
        .append("\" role=\"img\" aria-label=\"calls over time\">\n");
    int baseY = 10 + plotH;
    o.append("<line x1=\"")
        .append(PAD_L)
        .append("\" y1=\"")
        .append(baseY)
        .append("\" x2=\"")
        .append(PAD_L + plotW)
        .append("\" y2=\"")
        .append(baseY)
        .append("\" stroke=\"#888\"/>\n");
    o.append("<text x=\"")
        .append(PAD_L - 6)
        .append("\" y=\"14\" text-anchor=\"end\">")
        .append(max)
        .append("</text>\n");
    o.append("<text x=\"")
        .append(PAD_L - 6)
        .append("\" y=\"")
        .append(baseY)
        .append("\" text-anchor=\"end\">0</text>\n");
    // short axis labels ("MM-DD HH:MM", or "HH:MM" within one day), far enough apart not to overlap
    boolean oneDay =
        Rows.time(buckets.get(0).start())
            .regionMatches(0, Rows.time(buckets.get(buckets.size() - 1).start()), 0, 10);
    int labelEvery = Math.max(1, (int) Math.ceil((oneDay ? 50 : 90) / bw));
    for (int i = 0; i < buckets.size(); i++) {
      Timeline.Bucket b = buckets.get(i);
      double x = PAD_L + i * bw;
      long denyH = Math.round((double) b.deny() * plotH / max);
      long askH = Math.round((double) b.ask() * plotH / max);
      long otherH = Math.round((double) b.count() * plotH / max) - denyH - askH;
      String w = fmt(Math.max(1, bw - 1));
      double y = baseY;
      y = bar(o, x, y, w, denyH, "#c0392b", b, "deny " + b.deny());
      y = bar(o, x, y, w, askH, "#e67e22", b, "ask " + b.ask());
      bar(o, x, y, w, otherH, "#7f8c8d", b, "calls " + b.count());
      if (i % labelEvery == 0) {
        o.append("<text x=\"")
            .append(fmt(x))
            .append("\" y=\"")
            .append(baseY + 16)
            .append("\">")
            .append(h(axisLabel(b.start(), oneDay)))
            .append("</text>\n");
      }
    }
    o.append("<text x=\"")
        .append(PAD_L + plotW)
        .append("\" y=\"")
        .append(CHART_H - 4)
        .append("\" text-anchor=\"end\">deny (red), ask (orange)</text>\n");
    o.append("</svg>\n");
  }

  private static String axisLabel(long millis, boolean oneDay) {
    String t = Rows.time(millis); // 2026-11-26T13:45:00Z
    return oneDay ? t.substring(11, 16) : t.substring(5, 10) + " " + t.substring(11, 16);
  }

  private static double bar(
      StringBuilder o,
      double x,
      double y,
      String w,
      long height,
      String color,
      Timeline.Bucket b,
      String what) {
    if (height <= 0) {
      return y;
    }
    double top = y - height;
    o.append("<rect x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(top))
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(height)
        .append("\" fill=\"")
        .append(color)
        .append("\"><title>")
        .append(h(Rows.bucket(b.start())))
        .append(": ")
        .append(h(what))
        .append("</title></rect>\n");
    return top;
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }

  private static void dt(StringBuilder o, String k, String v) {
    o.append("<dt>").append(h(k)).append("</dt><dd>").append(h(v)).append("</dd>\n");
  }

  /** HTML text and attribute escaping. */
  static String h(String v) {
    StringBuilder b = new StringBuilder(v.length() + 16);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(Character.isISOControl(c) && c != '\n' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }
}
