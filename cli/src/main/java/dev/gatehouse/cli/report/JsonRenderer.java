package dev.gatehouse.cli.report;

import dev.gatehouse.proxy.audit.Json;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/** The {@code json} format: one object, numbers as numbers, every key of every dimension. */
final class JsonRenderer {
  private JsonRenderer() {}

  static String render(Summary s, Instant generatedAt) {
    StringBuilder o = new StringBuilder(4096);
    o.append("{\n  \"generated_at\": ");
    str(o, Rows.time(generatedAt.toEpochMilli()));
    o.append(",\n  \"query\": {\"from\": ");
    str(o, s.query.from().map(t -> Rows.time(t.toEpochMilli())).orElse(null));
    o.append(", \"to\": ");
    str(o, s.query.to().map(t -> Rows.time(t.toEpochMilli())).orElse(null));
    o.append(", \"agent\": ");
    str(o, s.query.agent().orElse(null));
    o.append(", \"decisions\": ");
    Json.value(o, new TreeSet<>(s.query.decisions()));
    o.append("},\n  \"files\": ");
    Json.value(o, s.files);
    o.append(",\n  \"lines\": {\"read\": ").append(s.lines);
    o.append(", \"decisions\": ").append(s.decisions);
    o.append(", \"other_records\": ").append(s.otherRecords);
    o.append(", \"malformed\": ").append(s.malformed);
    o.append(", \"untimed\": ").append(s.untimed).append("},\n");
    o.append("  \"totals\": {\"calls\": ").append(s.matched);
    o.append(", \"deny\": ").append(s.deny).append(", \"ask\": ").append(s.ask);
    o.append(", \"allow\": ").append(s.allow).append(", \"report_only\": ").append(s.notEnforced);
    o.append(", \"first_seen\": ");
    str(o, s.matched == 0 ? null : Rows.time(s.first));
    o.append(", \"last_seen\": ");
    str(o, s.matched == 0 ? null : Rows.time(s.last));
    o.append("},\n");
    for (Dimension d : s.dimensions()) {
      o.append("  \"by_").append(d.name).append("\": [");
      List<Stats> all = d.sorted();
      for (int i = 0; i < all.size(); i++) {
        Stats st = all.get(i);
        o.append(i == 0 ? "\n    {" : ",\n    {");
        o.append("\"key\": ");
        str(o, st.key);
        o.append(", \"calls\": ").append(st.count);
        o.append(", \"deny\": ").append(st.deny).append(", \"ask\": ").append(st.ask);
        o.append(", \"allow\": ").append(st.allow);
        o.append(", \"report_only\": ").append(st.notEnforced);
        o.append(", \"first_seen\": ");
        str(o, Rows.time(st.first));
        o.append(", \"last_seen\": ");
        str(o, Rows.time(st.last));
        o.append(", \"agents\": ");
        Json.value(o, st.sortedAgents());
        o.append(", \"example\": ");
        str(o, st.example);
        o.append('}');
      }
      o.append(all.isEmpty() ? "],\n" : "\n  ],\n");
    }
    List<Timeline.Bucket> buckets = s.buckets();
    o.append("  \"over_time\": {\"bucket_seconds\": ");
    o.append(buckets.isEmpty() ? 0 : buckets.get(0).width() / 1000).append(", \"buckets\": [");
    for (int i = 0; i < buckets.size(); i++) {
      Timeline.Bucket b = buckets.get(i);
      o.append(i == 0 ? "\n    {" : ",\n    {");
      o.append("\"start\": ");
      str(o, Rows.time(b.start()));
      o.append(", \"calls\": ").append(b.count());
      o.append(", \"deny\": ").append(b.deny()).append(", \"ask\": ").append(b.ask()).append('}');
    }
    o.append(buckets.isEmpty() ? "]}\n}\n" : "\n  ]}\n}\n");
    return o.toString();
  }

  private static void str(StringBuilder o, String v) {
    Json.value(o, v);
  }
}
