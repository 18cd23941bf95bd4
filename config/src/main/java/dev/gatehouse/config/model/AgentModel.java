package dev.gatehouse.config.model;

import dev.gatehouse.config.Location;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code agents:}. A token (by hash or by environment variable name) and/or source
 * CIDRs identify the agent; the token itself is never held here.
 */
public record AgentModel(
    Located<String> name,
    Optional<String> tokenSha256,
    Optional<String> tokenEnv,
    List<Located<String>> sourceCidrs,
    Optional<Mode> mode,
    Optional<Action> defaultAction,
    List<RuleModel> rules,
    Location location) {
  public AgentModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tokenSha256, "tokenSha256");
    Objects.requireNonNull(tokenEnv, "tokenEnv");
    sourceCidrs = List.copyOf(sourceCidrs);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(defaultAction, "defaultAction");
    rules = List.copyOf(rules);
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String toString() {
    return "AgentModel[" + name.value() + "]"; // never print token material
  }
}
