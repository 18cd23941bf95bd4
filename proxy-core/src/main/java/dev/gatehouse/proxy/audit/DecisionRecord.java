package dev.gatehouse.proxy.audit;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallStart;
import java.time.Duration;

/**
 * {@code type=decision}: one per call (request, tunnel, intercepted request). Every key is always
 * present, {@code null} when unknown, so the schema is the same on every line (docs/audit.md). The
 * admin API's {@code /v1/decisions} renders its entries with it too.
 */
public record DecisionRecord(
    CallStart start, CallEnd end, String traceId, String spanId, String parentRequestId)
    implements AuditRecord {

  @Override
  public void appendJson(StringBuilder out) {
    Decision d = end.decision();
    out.append("{\"ts\":\"");
    Json.timestamp(out, start.startTime());
    out.append("\",\"type\":\"decision\"");
    field(out, "request_id", start.requestId());
    field(out, "parent_request_id", parentRequestId);
    field(out, "kind", start.kind().wireName());
    field(out, "agent", d.agent());
    field(out, "client_address", start.clientAddress());
    field(out, "method", end.method());
    field(out, "url", UrlRedaction.redact(end.urlFull()));
    field(out, "host", end.host());
    out.append(",\"port\":").append(end.port());
    field(out, "decision", d.action().wireName());
    field(out, "reason", d.reason().wireName());
    field(out, "rule", d.ruleId());
    out.append(",\"enforced\":").append(d.enforced());
    field(out, "tls", end.tls().wireName());
    out.append(",\"status\":").append(end.statusCode());
    out.append(",\"bytes_in\":").append(end.bytesIn());
    out.append(",\"bytes_out\":").append(end.bytesOut());
    field(out, "policy_version", d.policyVersion());
    field(out, "approval_id", end.approvalId().orElse(null));
    field(out, "peer_address", end.peerAddress().orElse(null));
    long millis = Duration.between(start.startTime(), end.endTime()).toMillis();
    out.append(",\"duration_ms\":").append(Math.max(0, millis));
    field(out, "trace_id", traceId);
    field(out, "span_id", spanId);
    out.append('}');
  }

  private static void field(StringBuilder out, String key, String value) {
    out.append(",\"").append(key).append("\":");
    if (value == null) {
      out.append("null");
    } else {
      Json.string(out, value);
    }
  }
}
