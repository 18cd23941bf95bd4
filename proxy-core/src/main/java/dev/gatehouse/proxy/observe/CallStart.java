package dev.gatehouse.proxy.observe;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A call as it is accepted, before the decision.
 *
 * @param parent the tunnel's handle for an intercepted request
 * @param propagation W3C trace-context headers from the client ({@code traceparent}, {@code
 *     tracestate}), lower-case names; empty when none were sent
 * @param clientAddress the client's IP address
 */
public record CallStart(
    String requestId,
    Instant startTime,
    CallKind kind,
    Optional<CallHandle> parent,
    Map<String, String> propagation,
    String clientAddress) {
  public CallStart {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(parent, "parent");
    propagation = Map.copyOf(propagation);
    Objects.requireNonNull(clientAddress, "clientAddress");
  }

  /** Reads this call's own values and sums their sizes, for a {@link ReadAhead}. */
  public int touch() {
    return requestId.length() + clientAddress.length() + startTime.getNano();
  }
}
