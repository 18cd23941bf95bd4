package dev.gatehouse.cli;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
  public record Loaded(Optional<PolicyEngine> engine, List<Diagnostic> diagnostics) {}

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
    // each list is in file order already; this interleaves the loader's and the compiler's
    all.sort(Diagnostic.FILE_ORDER);
    return new Loaded(engine, List.copyOf(all));
  }

  /**
   * The engine for a command that needs a valid policy ({@code explain}, {@code test}); for an
   * invalid file, prints its errors and "gatehouse COMMAND: FILE is invalid" to {@code err} and
   * returns empty.
   */
  public static Optional<PolicyEngine> engineOrReport(Path file, String command, PrintWriter err) {
    Loaded loaded = load(file);
    if (loaded.engine().isEmpty()) {
      StringBuilder errors = new StringBuilder();
      loaded.diagnostics().stream()
          .filter(Diagnostic::isError)
          .forEach(d -> errors.append(d.format()).append('\n'));
      err.print(errors);
      err.println(
          "gatehouse "
              + command
              + ": "
              + file
              + " is invalid; fix the errors above (gatehouse check)");
    }
    return loaded.engine();
  }
}
