package dev.gatehouse.config.model;

import dev.gatehouse.config.Location;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule as written (SPEC §2.1). Host patterns and CIDRs are kept as written, with their
 * locations; the policy engine validates and compiles them.
 *
 * @param id the rule id ({@code rule-N} with N the line number when absent)
 * @param idGenerated true when the file gave no id ({@code check} warns)
 * @param targets host patterns and/or IP/CIDR literals from the {@code allow|deny|ask} key
 * @param ports empty when the rule names none (the default {@code [80, 443]} applies)
 * @param methods empty when the rule names none (any method)
 * @param paths empty when the rule names none (any path)
 */
public record RuleModel(
    Located<String> id,
    boolean idGenerated,
    Action action,
    List<Located<String>> targets,
    Optional<List<Located<PortRange>>> ports,
    Optional<List<Located<String>>> methods,
    Optional<List<Located<String>>> paths,
    Optional<String> comment,
    Location location) {

  public static final List<PortRange> DEFAULT_PORTS = List.of(PortRange.of(80), PortRange.of(443));

  public RuleModel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(action, "action");
    targets = List.copyOf(targets);
    ports = ports.map(List::copyOf);
    methods = methods.map(List::copyOf);
    paths = paths.map(List::copyOf);
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(location, "location");
  }
}
