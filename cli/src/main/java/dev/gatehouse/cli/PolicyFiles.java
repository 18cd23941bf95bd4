package dev.gatehouse.cli;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads and compiles a policy file for the commands that evaluate policies offline ({@code check},
 * {@code explain}, {@code test}), collecting the loader's and the compiler's diagnostics together
 * so one run reports every problem in the file.
 */
public final class PolicyFiles {
  private PolicyFiles() {}

  /** The compiled engine when the file has no errors, and every diagnostic in file order. */
  public record Loaded(Optional<PolicyEngine> engine, List<Diagnostic> diagnostics) {
    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public String errorText() {
      StringBuilder out = new StringBuilder();
      diagnostics.stream()
          .filter(Diagnostic::isError)
          .forEach(d -> out.append(d.format()).append('\n'));
      return out.toString();
    }
  }

  private static final Comparator<Diagnostic> FILE_ORDER =
      Comparator.<Diagnostic, String>comparing(d -> d.location().file())
          .thenComparingInt(d -> d.location().line())
          .thenComparingInt(d -> d.location().column());

  public static Loaded load(Path file) {
    PolicyLoader.Result read = PolicyLoader.read(file);
    List<Diagnostic> all = new ArrayList<>(read.diagnostics());
    Optional<PolicyEngine> engine = Optional.empty();
    if (read.model().isPresent()) {
      PolicyCompiler.Compilation compiled = PolicyCompiler.compile(read.model().get());
      all.addAll(compiled.diagnostics());
      if (!read.hasErrors()) {
        engine = compiled.engine();
      }
    }
    all.sort(FILE_ORDER);
    return new Loaded(engine, List.copyOf(all));
  }
}
