package dev.gatehouse.config.model;

/** An inclusive TCP port range; a single port has {@code from == to}. */
public record PortRange(int from, int to) {
  public PortRange {
    if (from < 1 || from > 65535) {
      throw new IllegalArgumentException("port " + from + " out of range (1-65535)");
    }
    if (to < from || to > 65535) {
      throw new IllegalArgumentException(
          "port range " + from + "-" + to + " is not ascending within 1-65535");
    }
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  @Override
  public String toString() {
    return from == to ? Integer.toString(from) : from + "-" + to;
  }
}
