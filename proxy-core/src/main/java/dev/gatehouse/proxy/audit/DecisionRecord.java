package dev.gatehouse.proxy.audit;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallStart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code type=decision}: one per call (request, tunnel, intercepted request). Every key is always
 * present, {@code null} when unknown, so the schema is the same on every line (docs/audit.md). The
 * admin API's {@code /v1/decisions} renders its entries with it too.
 */
public record DecisionRecord(
    CallStart start, CallEnd end, String traceId, String spanId, String parentRequestId)
    implements AuditRecord {
  // each field's separator, quoted key and colon, appended in one copy
  private static final byte[] START = "{\"ts\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TYPE = ",\"type\":\"decision\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REQUEST_ID = JsonLine.key("request_id");
  private static final byte[] PARENT_REQUEST_ID = JsonLine.key("parent_request_id");
  private static final byte[] KIND = JsonLine.key("kind");
  private static final byte[] AGENT = JsonLine.key("agent");
  private static final byte[] CLIENT_ADDRESS = JsonLine.key("client_address");
  private static final byte[] METHOD = JsonLine.key("method");
  private static final byte[] URL = JsonLine.key("url");
  private static final byte[] HOST = JsonLine.key("host");
  private static final byte[] PORT = JsonLine.key("port");
  private static final byte[] DECISION = JsonLine.key("decision");
  private static final byte[] REASON = JsonLine.key("reason");
  private static final byte[] RULE = JsonLine.key("rule");
  private static final byte[] ENFORCED = JsonLine.key("enforced");
  private static final byte[] TLS = JsonLine.key("tls");
  private static final byte[] STATUS = JsonLine.key("status");
  private static final byte[] BYTES_IN = JsonLine.key("bytes_in");
  private static final byte[] BYTES_OUT = JsonLine.key("bytes_out");
  private static final byte[] POLICY_VERSION = JsonLine.key("policy_version");
  private static final byte[] APPROVAL_ID = JsonLine.key("approval_id");
  private static final byte[] PEER_ADDRESS = JsonLine.key("peer_address");
  private static final byte[] DURATION_MS = JsonLine.key("duration_ms");
  private static final byte[] TRACE_ID = JsonLine.key("trace_id");
  private static final byte[] SPAN_ID = JsonLine.key("span_id");

  @Override
  public int touch() {
    return start.touch()
        + end.touch()
        + (traceId == null ? 0 : traceId.length())
        + (spanId == null ? 0 : spanId.length());
  }

  @Override
  public void writeJson(JsonLine out) {
    Decision d = end.decision();
    out.raw(START).timestamp(start.startTime()).raw(TYPE);
    out.raw(REQUEST_ID).string(start.requestId());
    out.raw(PARENT_REQUEST_ID).string(parentRequestId);
    out.raw(KIND).string(start.kind().wireName());
    out.raw(AGENT).string(d.agent());
    out.raw(CLIENT_ADDRESS).string(start.clientAddress());
    out.raw(METHOD).string(end.method());
    out.raw(URL).string(UrlRedaction.redact(end.urlFull()));
    out.raw(HOST).string(end.host());
    out.raw(PORT).number(end.port());
    out.raw(DECISION).string(d.action().wireName());
    out.raw(REASON).string(d.reason().wireName());
    out.raw(RULE).string(d.ruleId());
    out.raw(ENFORCED).bool(d.enforced());
    out.raw(TLS).string(end.tls().wireName());
    out.raw(STATUS).number(end.statusCode());
    out.raw(BYTES_IN).number(end.bytesIn());
    out.raw(BYTES_OUT).number(end.bytesOut());
    out.raw(POLICY_VERSION).string(d.policyVersion());
    out.raw(APPROVAL_ID).string(end.approvalId().orElse(null));
    out.raw(PEER_ADDRESS).string(end.peerAddress().orElse(null));
    long millis = Duration.between(start.startTime(), end.endTime()).toMillis();
    out.raw(DURATION_MS).number(Math.max(0, millis));
    out.raw(TRACE_ID).string(traceId);
    out.raw(SPAN_ID).string(spanId);
    out.raw('}');
  }
}
