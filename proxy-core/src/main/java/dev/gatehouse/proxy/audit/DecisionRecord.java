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
  // each field's separator, key and colon, appended in one piece
  private static final String REQUEST_ID = ",\"request_id\":";
  private static final String PARENT_REQUEST_ID = ",\"parent_request_id\":";
  private static final String KIND = ",\"kind\":";
  private static final String AGENT = ",\"agent\":";
  private static final String CLIENT_ADDRESS = ",\"client_address\":";
  private static final String METHOD = ",\"method\":";
  private static final String URL = ",\"url\":";
  private static final String HOST = ",\"host\":";
  private static final String DECISION = ",\"decision\":";
  private static final String REASON = ",\"reason\":";
  private static final String RULE = ",\"rule\":";
  private static final String TLS = ",\"tls\":";
  private static final String POLICY_VERSION = ",\"policy_version\":";
  private static final String APPROVAL_ID = ",\"approval_id\":";
  private static final String PEER_ADDRESS = ",\"peer_address\":";
  private static final String TRACE_ID = ",\"trace_id\":";
  private static final String SPAN_ID = ",\"span_id\":";

  @Override
  public void appendJson(StringBuilder out) {
    Decision d = end.decision();
    out.append("{\"ts\":\"");
    Json.timestamp(out, start.startTime());
    out.append("\",\"type\":\"decision\"");
    field(out, REQUEST_ID, start.requestId());
    field(out, PARENT_REQUEST_ID, parentRequestId);
    field(out, KIND, start.kind().wireName());
    field(out, AGENT, d.agent());
    field(out, CLIENT_ADDRESS, start.clientAddress());
    field(out, METHOD, end.method());
    field(out, URL, UrlRedaction.redact(end.urlFull()));
    field(out, HOST, end.host());
    out.append(",\"port\":").append(end.port());
    field(out, DECISION, d.action().wireName());
    field(out, REASON, d.reason().wireName());
    field(out, RULE, d.ruleId());
    out.append(",\"enforced\":").append(d.enforced());
    field(out, TLS, end.tls().wireName());
    out.append(",\"status\":").append(end.statusCode());
    out.append(",\"bytes_in\":").append(end.bytesIn());
    out.append(",\"bytes_out\":").append(end.bytesOut());
    field(out, POLICY_VERSION, d.policyVersion());
    field(out, APPROVAL_ID, end.approvalId().orElse(null));
    field(out, PEER_ADDRESS, end.peerAddress().orElse(null));
    long millis = Duration.between(start.startTime(), end.endTime()).toMillis();
    out.append(",\"duration_ms\":").append(Math.max(0, millis));
    field(out, TRACE_ID, traceId);
    field(out, SPAN_ID, spanId);
    out.append('}');
  }

  private static void field(StringBuilder out, String prefix, String value) {
    out.append(prefix);
    if (value == null) {
      out.append("null");
    } else {
      Json.string(out, value);
    }
  }
}
