package dev.gatehouse.policy;

import java.util.Objects;

/**
 * What the engine decides on: who asks, and the request as written (no DNS).
 *
 * @param agent the identified agent name ({@code anonymous} for anonymous clients)
 * @param method upper-case HTTP method; {@code CONNECT} for a tunnel decided on host and port
 * @param path the raw path without query (percent-encoded as sent); {@code ""} for CONNECT
 */
public record Request(String agent, String method, Host host, int port, String path) {
  public static final String CONNECT = "CONNECT";

  public Request {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
  }

  public static Request connect(String agent, Host host, int port) {
    return new Request(agent, CONNECT, host, port, "");
  }

  public boolean isConnect() {
    return CONNECT.equals(method);
  }
}
