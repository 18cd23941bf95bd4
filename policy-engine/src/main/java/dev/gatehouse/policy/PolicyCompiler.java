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

  public static Compilation compile(PolicyModel model) {
    throw new UnsupportedOperationException("TODO: engine helper");
  }
}
