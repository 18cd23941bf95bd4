package dev.gatehouse.policy;

import dev.gatehouse.config.model.Action;
import java.util.Objects;

/**
 * The outcome of deciding a request: a value, never an exception.
 *
 * @param ruleId the deciding rule's id, or {@code default}
 * @param enforced false in report mode: a deny or ask is recorded but the request goes through
 * @param inspect for a CONNECT: the host's rules name methods or paths, so the tunnel must be
 *     intercepted and every inner request decided on its own
 */
public record Decision(
    Action action,
    Reason reason,
    String ruleId,
    String agent,
    String policyVersion,
    boolean enforced,
    boolean inspect) {

  public static final String DEFAULT_RULE = "default";

  public Decision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(policyVersion, "policyVersion");
  }

  /** True when the request may proceed: allowed, or a block that report mode does not enforce. */
  public boolean proceeds() {
    return action == Action.ALLOW || !enforced;
  }

  /** The same decision turned into a deny for {@code reason} (address checks, upstream errors). */
  public Decision deny(Reason newReason, boolean enforce) {
    return new Decision(Action.DENY, newReason, ruleId, agent, policyVersion, enforce, false);
  }
}
