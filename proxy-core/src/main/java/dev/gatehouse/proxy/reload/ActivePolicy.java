package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.model.Mode;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.auth.AgentDirectory;
import java.util.Objects;

/**
 * A compiled policy together with what the proxy derived from it (agent identities). Swapped as a
 * whole on reload; each request keeps the one it started with.
 *
 * @param declaredMode the {@code defaults.mode} the policy itself declares; the engine's differs
 *     while the admin API overrides it ({@link ModeSwitch})
 */
public record ActivePolicy(PolicyEngine engine, AgentDirectory agents, Mode declaredMode) {
  public ActivePolicy {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(agents, "agents");
    Objects.requireNonNull(declaredMode, "declaredMode");
  }

  /** A policy running in the mode it declares. */
  public ActivePolicy(PolicyEngine engine, AgentDirectory agents) {
    this(engine, agents, engine.model().defaults().mode());
  }

  /** The mode in force: the declared one, or the admin API's override. */
  public Mode mode() {
    return engine.model().defaults().mode();
  }
}
