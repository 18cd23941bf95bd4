package dev.gatehouse.cli.report;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to summarise: a time range [from, to), an optional agent, and the decisions that count
 * ({@code deny} and {@code ask} by default: the blocked calls).
 */
public record ReportQuery(
    Optional<Instant> from, Optional<Instant> to, Optional<String> agent, Set<String> decisions) {

  public static final Set<String> BLOCKED = Set.of("deny", "ask");
  public static final Set<String> ALL = Set.of("deny", "ask", "allow");

  public ReportQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(agent, "agent");
    decisions = Set.copyOf(decisions);
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      throw new IllegalArgumentException(
          "--from " + from.get() + " is not before --to " + to.get());
    }
  }

  long fromMillis() {
    return from.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
  }

  long toMillis() {
    return to.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
  }

  boolean includesAllows() {
    return decisions.contains("allow");
  }
}
