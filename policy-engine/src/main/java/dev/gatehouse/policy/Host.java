package dev.gatehouse.policy;

import java.net.InetAddress;

/**
 * A request's host after normalisation (SPEC §2.2): either a DNS name in lower-case A-labels with
 * no trailing dot, or an IP address. Parse with {@link #parse(String)}, once per request.
 */
public sealed interface Host {

  /** A DNS name: lower case, A-labels, no trailing dot, validated. */
  record Name(String ascii) implements Host {
    @Override
    public String toString() {
      return ascii;
    }
  }

  /** An IP literal, including every legacy IPv4 spelling, parsed to the address it denotes. */
  record Ip(InetAddress address) implements Host {
    @Override
    public String toString() {
      return address.getHostAddress();
    }
  }

  /**
   * Normalises a host as written in a request (URI authority host or CONNECT host; IPv6 may be in
   * brackets).
   *
   * @throws InvalidHostException when it is neither a valid DNS name nor an IP literal
   */
  static Host parse(String raw) {
    return dev.gatehouse.policy.host.HostNormalizer.parse(raw);
  }
}
