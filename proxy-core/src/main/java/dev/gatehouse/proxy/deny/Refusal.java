package dev.gatehouse.proxy.deny;

import dev.gatehouse.policy.Decision;
import java.util.Objects;

/**
 * A response the proxy makes itself instead of forwarding (SPEC §3): a policy block (403), missing
 * or wrong credentials (407), a malformed request (400, 431), an upstream failure (502, 504) or
 * overload (503).
 *
 * @param status the HTTP status
 * @param decision the decision behind it (reason {@code bad_request}, {@code upstream_error}, ...)
 * @param method the request method as sent, or empty
 * @param host the request host as normalised (or as written when it could not be), or empty
 * @param port the request port, or 0
 * @param requestId the request id, also in {@code Gatehouse-Request-Id}
 * @param detail one short sentence on the specific cause ("connection refused by 10.0.0.1:80"), or
 *     empty
 */
public record Refusal(
    int status,
    Decision decision,
    String method,
    String host,
    int port,
    String requestId,
    String detail) {
  public Refusal {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(detail, "detail");
  }
}
