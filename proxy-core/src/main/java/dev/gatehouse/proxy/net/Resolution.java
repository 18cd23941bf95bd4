package dev.gatehouse.proxy.net;

import dev.gatehouse.policy.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** What resolving and checking a request's host gave: a value, never an exception. */
public sealed interface Resolution {

  /** Every address the host resolved to passed the checks; connect only to these. */
  record Allowed(List<InetSocketAddress> addresses) implements Resolution {
    public Allowed {
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("no addresses");
      }
    }
  }

  /** An address failed the checks (SPEC §2.4): {@code private_address} or {@code denied_cidr}. */
  record Blocked(Reason reason, InetAddress address) implements Resolution {}

  /** The name did not resolve (502, {@code upstream_error}). */
  record Unresolved(String cause) implements Resolution {}
}
