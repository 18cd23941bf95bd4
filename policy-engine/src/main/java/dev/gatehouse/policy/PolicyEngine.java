package dev.gatehouse.policy;

import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.policy.explain.Explanation;
import dev.gatehouse.policy.match.CidrSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A compiled, immutable policy. Thread-safe; built by {@link PolicyCompiler#compile}. A new one is
 * built on every reload and swapped in atomically; in-flight requests keep the one they started
 * with.
 */
public interface PolicyEngine {

  /**
   * Decides a request as written, without DNS (SPEC §2.3). For a CONNECT request the decision is on
   * host and port; {@link Decision#inspect()} says whether inner requests must be decided too. An
   * unknown agent name is decided with the top-level rules only.
   */
  Decision decide(Request request);

  /**
   * Address checks (SPEC §2.4) for one address a name resolved to, or an IP-literal host: {@code
   * deny_cidrs} ({@link Reason#DENIED_CIDR}), then {@code block_private} minus {@code allow_cidrs}
   * ({@link Reason#PRIVATE_ADDRESS}). Empty when the address may be connected to. The proxy adds
   * its own listening addresses.
   */
  Optional<Reason> checkAddress(InetAddress address);

  /** Every candidate rule for the request and why it did or did not match, then the decision. */
  Explanation explain(Request request, List<InetAddress> simulatedAddresses);

  /** Hex SHA-256 prefix of the policy file: in every decision, span and audit record. */
  String version();

  /** The model this was compiled from (agents' identity data, rule ids for reload diffs). */
  PolicyModel model();

  /** True when some rule names methods or paths: serving it needs an interception CA. */
  boolean needsInterception();

  /**
   * For a CONNECT whose first bytes are neither TLS nor HTTP (SSH on port 22, ...): true only when
   * the tunnel is allowed by an allow rule that names this port explicitly in {@code ports} and has
   * no methods or paths (SPEC §3). Such traffic is then relayed opaquely.
   */
  default boolean allowsOpaqueTunnel(Request connect) {
    return false;
  }

  /** The agent's {@code source_cidrs}, compiled once; empty for unknown agents. */
  default CidrSet sourceCidrs(String agent) {
    return CidrSet.EMPTY;
  }
}
