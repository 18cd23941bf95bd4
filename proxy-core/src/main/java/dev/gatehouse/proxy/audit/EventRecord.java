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
  public void writeJson(JsonLine out) {
    out.raw("{\"ts\":").timestamp(time).raw(",\"type\":").string(type);
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      out.raw(',').string(e.getKey()).raw(':').value(e.getValue());
    }
    out.raw('}');
  }
}
