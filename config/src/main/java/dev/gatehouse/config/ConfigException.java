package dev.gatehouse.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config or policy file was refused; carries every error found, each with its location. */
public final class ConfigException extends Exception {
  private final List<Diagnostic> diagnostics;

  public ConfigException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public ConfigException(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
