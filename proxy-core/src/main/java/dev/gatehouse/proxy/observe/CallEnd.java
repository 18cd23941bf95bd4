package dev.gatehouse.proxy.observe;

import dev.gatehouse.policy.Decision;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished call: what was asked, what was decided, what happened.
 *
 * @param decision always present; bad requests and auth failures carry a decision with reason
 *     {@code bad_request} / {@code auth_required} / {@code auth_failed}
 * @param urlFull the request URL without its query string (never credentials); for a tunnel {@code
 *     host:port}
 * @param peerAddress the upstream address actually connected to, when one was
 * @param statusCode the status sent to the client (200 for an established tunnel)
 * @param bytesIn bytes received from the client (request body / tunnel client-to-upstream)
 * @param bytesOut bytes sent to the client (response body / tunnel upstream-to-client)
 */
public record CallEnd(
    Decision decision,
    String method,
    String urlFull,
    String host,
    int port,
    Optional<String> peerAddress,
    int statusCode,
    TlsMode tls,
    long bytesIn,
    long bytesOut,
    Optional<String> approvalId,
    Instant endTime) {
  public CallEnd {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(urlFull, "urlFull");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(approvalId, "approvalId");
    Objects.requireNonNull(endTime, "endTime");
  }

  /** Reads this call's own values and sums their sizes, as {@link CallStart#touch}. */
  public int touch() {
    return urlFull.length()
        + host.length()
        + endTime.getNano()
        + (peerAddress.isPresent() ? peerAddress.get().length() : 0)
        + decision.agent().length();
  }
}
