package dev.gatehouse.config;

import dev.gatehouse.config.model.PolicyModel;
import java.nio.file.Path;

/** Reads a policy file (SPEC §2) into a {@link PolicyModel}, or refuses it with located errors. */
public final class PolicyLoader {
  private PolicyLoader() {}

  /**
   * What reading a file gave: the model when the YAML was readable enough to build one (unknown
   * keys and bad values skipped, so {@code check} can also report what the engine finds), and
   * every error and warning found.
   */
  public record Result(java.util.Optional<PolicyModel> model, java.util.List<Diagnostic> diagnostics) {
    public Result {
      diagnostics = java.util.List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  /** Reads {@code file}, collecting every error rather than stopping at the first. */
  public static Result read(Path file) {
    throw new UnsupportedOperationException("TODO: config helper");
  }

  /** Loads {@code file}: the model, or a {@link ConfigException} naming every error. */
  public static PolicyModel load(Path file) throws ConfigException {
    throw new UnsupportedOperationException("TODO: config helper");
  }

  /** Parses policy YAML held in memory; {@code sourceName} appears in diagnostics. */
  public static PolicyModel parse(String yaml, String sourceName) throws ConfigException {
    throw new UnsupportedOperationException("TODO: config helper");
  }
}
