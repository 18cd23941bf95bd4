package dev.gatehouse.config.model;

import java.util.List;
import java.util.Objects;

/**
 * A whole policy file as written (SPEC §2), before compilation.
 *
 * @param source the file name used in diagnostics
 * @param version hex SHA-256 prefix of the file's bytes: appears in every decision
 */
public record PolicyModel(
    String source,
    String version,
    DefaultsModel defaults,
    NetworkModel network,
    List<RuleModel> rules,
    List<AgentModel> agents,
    AnonymousPolicy anonymous) {
  public PolicyModel {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(network, "network");
    rules = List.copyOf(rules);
    agents = List.copyOf(agents);
    Objects.requireNonNull(anonymous, "anonymous");
  }

  /** This policy with {@code defaults.mode} replaced (the admin API's live mode switch). */
  public PolicyModel withDefaultMode(Mode mode) {
    if (mode == defaults.mode()) {
      return this;
    }
    return new PolicyModel(
        source,
        version,
        new DefaultsModel(defaults.action(), mode),
        network,
        rules,
        agents,
        anonymous);
  }
}
