package dev.gatehouse.proxy.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A non-call record ({@code policy_reload}, {@code mode_switch}, {@code approval_requested}, ...):
 * {@code ts}, {@code type}, then the caller's fields in their iteration order. The fields are
 * copied when the record is made, so later changes by the caller never show.
 */
record EventRecord(Instant time, String type, Map<String, Object> fields) implements AuditRecord {

  EventRecord {
    fields = new LinkedHashMap<>(fields); // keeps order, allows null values
    fields.remove("ts");
    fields.remove("type");
  }

  @Override
  public void appendJson(StringBuilder out) {
    out.append("{\"ts\":\"");
    Json.timestamp(out, time);
    out.append("\",\"type\":");
    Json.string(out, type);
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      out.append(',');
      Json.string(out, e.getKey());
      out.append(':');
      Json.value(out, e.getValue());
    }
    out.append('}');
  }
}
