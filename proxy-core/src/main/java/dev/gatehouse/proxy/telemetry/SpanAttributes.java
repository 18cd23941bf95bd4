package dev.gatehouse.proxy.telemetry;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Span attribute names (SPEC §4): semantic-convention names where one exists (HTTP and network
 * conventions, stable since semconv 1.23), {@code gatehouse.*} for the rest. Bytes go both in the
 * HTTP body-size attributes (for HTTP calls, where they are body sizes) and in {@code
 * gatehouse.bytes_in}/{@code gatehouse.bytes_out} on every call (a tunnel's bytes are not an HTTP
 * body), so one query covers every kind of call.
 */
public final class SpanAttributes {
  private SpanAttributes() {}

  public static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey("http.request.method");
  public static final AttributeKey<String> URL_FULL = stringKey("url.full");
  public static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  public static final AttributeKey<String> CLIENT_ADDRESS = stringKey("client.address");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      longKey("http.response.status_code");
  public static final AttributeKey<String> NETWORK_PEER_ADDRESS = stringKey("network.peer.address");
  public static final AttributeKey<Long> HTTP_REQUEST_BODY_SIZE = longKey("http.request.body.size");
  public static final AttributeKey<Long> HTTP_RESPONSE_BODY_SIZE =
      longKey("http.response.body.size");
  public static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  public static final AttributeKey<String> DECISION = stringKey("gatehouse.decision");
  public static final AttributeKey<String> REASON = stringKey("gatehouse.reason");
  public static final AttributeKey<String> RULE_ID = stringKey("gatehouse.rule_id");
  public static final AttributeKey<String> AGENT = stringKey("gatehouse.agent");
  public static final AttributeKey<String> TLS = stringKey("gatehouse.tls");
  public static final AttributeKey<String> POLICY_VERSION = stringKey("gatehouse.policy_version");
  public static final AttributeKey<Boolean> ENFORCED = booleanKey("gatehouse.enforced");
  public static final AttributeKey<String> APPROVAL_ID = stringKey("gatehouse.approval_id");
  public static final AttributeKey<Long> BYTES_IN = longKey("gatehouse.bytes_in");
  public static final AttributeKey<Long> BYTES_OUT = longKey("gatehouse.bytes_out");
  public static final AttributeKey<String> REQUEST_ID = stringKey("gatehouse.request_id");
  public static final AttributeKey<String> KIND = stringKey("gatehouse.kind");
}
