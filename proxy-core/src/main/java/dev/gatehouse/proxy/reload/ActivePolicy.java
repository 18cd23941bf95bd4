package dev.gatehouse.proxy.reload;

import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.auth.AgentDirectory;
import java.util.Objects;

/**
 * A compiled policy together with what the proxy derived from it (agent identities). Swapped as a
 * whole on reload; each request keeps the one it started with.
 */
public record ActivePolicy(PolicyEngine engine, AgentDirectory agents) {
  public ActivePolicy {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(agents, "agents");
  }
}
