package dev.gatehouse.policy;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.model.PolicyModel;
import java.util.List;
import java.util.Optional;

/** Compiles a {@link PolicyModel} once into a {@link PolicyEngine} that matches cheaply. */
public final class PolicyCompiler {
  private PolicyCompiler() {}

  /**
   * The outcome of compiling: the engine when there were no errors, and every error and lint
   * warning, located.
   */
  public record Compilation(Optional<PolicyEngine> engine, List<Diagnostic> diagnostics) {
    public Compilation {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  /** Decisions remembered per compiled policy (bounded; a new, empty cache with every reload). */
  public static final int DEFAULT_DECISION_CACHE_SIZE = 65_536;

  /**
   * Validates and compiles {@code model}: every error (bad pattern, CIDR, glob, method) and every
   * lint warning, located; an engine only when there was no error.
   */
  public static Compilation compile(PolicyModel model) {
    return compile(model, DEFAULT_DECISION_CACHE_SIZE);
  }

  /**
   * As {@link #compile(PolicyModel)} with a decision cache of at most {@code decisionCacheSize}
   * entries (0: no cache).
   */
  public static Compilation compile(PolicyModel model, int decisionCacheSize) {
    if (decisionCacheSize < 0) {
      throw new IllegalArgumentException("decision cache size " + decisionCacheSize + " < 0");
    }
    return dev.gatehouse.policy.compile.Compiler.compile(model, decisionCacheSize);
  }
}
