package dev.gatehouse.config.model;

import java.util.Objects;

/** A listen or server address: host (name or IP literal, IPv6 without brackets) and port. */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range (0-65535)");
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
