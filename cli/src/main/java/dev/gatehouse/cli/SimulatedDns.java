package dev.gatehouse.cli;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --resolve host=ip[,ip]}: DNS answers that {@code explain} and {@code test} pretend to get,
 * so address checks can be explained without any lookup. Addresses must be IP literals: nothing
 * here ever touches the network.
 */
public final class SimulatedDns {
  private final Map<String, List<InetAddress>> answers = new HashMap<>();

  public void add(String host, List<String> addresses) {
    String name = Host.parse(host).toString();
    List<InetAddress> parsed = new ArrayList<>();
    for (String a : addresses) {
      Host h;
      try {
        h = Host.parse(a.trim());
      } catch (InvalidHostException e) {
        throw new IllegalArgumentException(
            "'" + a + "' is not an IP address (" + e.getMessage() + ")");
      }
      if (!(h instanceof Host.Ip ip)) {
        throw new IllegalArgumentException(
            "'" + a + "' is not an IP address; give an address, not a name");
      }
      parsed.add(ip.address());
    }
    answers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(parsed);
  }

  /** Parses {@code host=ip[,ip...]}. */
  public void add(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("--resolve '" + spec + "' must be host=ip[,ip...]");
    }
    add(spec.substring(0, eq), List.of(spec.substring(eq + 1).split(",")));
  }

  /** What the host "resolves" to: the literal itself for an IP host, else the simulated answer. */
  public List<InetAddress> lookup(Host host) {
    if (host instanceof Host.Ip ip) {
      return List.of(ip.address());
    }
    return answers.getOrDefault(host.toString(), List.of());
  }
}
