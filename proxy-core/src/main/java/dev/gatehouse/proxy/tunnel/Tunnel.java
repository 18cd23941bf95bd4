package dev.gatehouse.proxy.tunnel;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import java.util.Objects;

/**
 * An established CONNECT tunnel, as the stages after {@code 200 Connection established} see it.
 *
 * @param requestId the tunnel's request id (inner requests get their own)
 * @param agent the identified agent; inner requests are decided for the same agent
 * @param host the CONNECT host, normalised
 * @param port the CONNECT port
 * @param decision the CONNECT decision (host and port)
 * @param call the tunnel's call: the parent of every inner request's call; ended by the proxy when
 *     the tunnel closes
 * @param clientAddress the client's IP address
 * @param context the running proxy's shared services
 * @param exchange the CONNECT's exchange, which the tunnel's call ends with: a stage after the
 *     {@code 200} records on it what it learns (TLS mode, a {@code bad_request} refusal)
 */
public record Tunnel(
    String requestId,
    String agent,
    Host host,
    int port,
    Decision decision,
    CallHandle call,
    String clientAddress,
    ProxyContext context,
    Exchange exchange) {

  public Tunnel {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(exchange, "exchange");
  }

  /** The host as a string: the A-label name, or the IP address. */
  public String hostName() {
    return host.toString();
  }
}
