package dev.gatehouse.proxy.net;

import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The address checks of SPEC §2.4 for one address: the policy's ({@code deny_cidrs}, {@code
 * block_private} minus {@code allow_cidrs}) and the proxy's own: an address:port the proxy listens
 * on is refused whatever the policy says, so a request can never loop back into Gatehouse.
 */
public final class AddressGuard {
  private volatile List<InetSocketAddress> own = List.of();
  private final Set<InetAddress> localAddresses;

  public AddressGuard() {
    this.localAddresses = localAddresses();
  }

  /** The proxy's bound listeners (proxy and admin). */
  public void listeningOn(List<InetSocketAddress> addresses) {
    this.own = List.copyOf(addresses);
  }

  /** Empty when {@code address:port} may be connected to. */
  public Optional<Reason> check(PolicyEngine engine, InetAddress address, int port) {
    Optional<Reason> policy = engine.checkAddress(address);
    if (policy.isPresent()) {
      return policy;
    }
    return isOwn(address, port) ? Optional.of(Reason.PRIVATE_ADDRESS) : Optional.empty();
  }

  boolean isOwn(InetAddress address, int port) {
    for (InetSocketAddress listener : own) {
      if (listener.getPort() != port) {
        continue;
      }
      InetAddress bound = listener.getAddress();
      if (bound.equals(address)) {
        return true;
      }
      if (bound.isAnyLocalAddress()
          && (address.isAnyLocalAddress()
              || address.isLoopbackAddress()
              || localAddresses.contains(address))) {
        return true;
      }
    }
    return false;
  }

  private static Set<InetAddress> localAddresses() {
    Set<InetAddress> all = new HashSet<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        all.addAll(Collections.list(ni.getInetAddresses()));
      }
    } catch (SocketException | RuntimeException e) {
      // without the list, wildcard listeners still match loopback and unspecified addresses
    }
    return Set.copyOf(all);
  }
}
