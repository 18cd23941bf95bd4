package dev.gatehouse.policy.explain;

import dev.gatehouse.config.Location;
import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Why a request was decided as it was: the final decision, every candidate rule with whether it
 * matched and why not, and the address checks on simulated DNS answers.
 */
public record Explanation(Decision decision, List<RuleTrace> rules, List<AddressTrace> addresses) {
  public Explanation {
    rules = List.copyOf(rules);
    addresses = List.copyOf(addresses);
  }

  /**
   * One candidate rule.
   *
   * @param scope {@code policy} for top-level rules, else the agent's name
   * @param why a short sentence: "matched", "host api.x not in [pypi.org]", "method POST not in
   *     [GET, HEAD]", ...
   */
  public record RuleTrace(
      String ruleId,
      String scope,
      Action action,
      Location location,
      boolean matched,
      Optional<Reason> miss,
      String why) {}

  /** One simulated address and the address-check outcome (empty when it may be connected to). */
  public record AddressTrace(InetAddress address, Optional<Reason> blocked) {}
}
