package dev.gatehouse.config;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * One error or warning about a config or policy file, rendered as {@code file:line:col:
 * error|warning: message} (the format compilers and CI annotators understand).
 *
 * @param key the offending key or dotted path ({@code rules[2].allow}), or empty
 */
public record Diagnostic(Severity severity, Location location, String key, String message) {
  /**
   * File order (file, line, column), as {@code check} prints diagnostics. Stable sorts keep the
   * order of diagnostics found at the same place.
   */
  public static final Comparator<Diagnostic> FILE_ORDER =
      Comparator.comparing((Diagnostic d) -> d.location().file())
          .thenComparingInt(d -> d.location().line())
          .thenComparingInt(d -> d.location().column());

  public enum Severity {
    ERROR,
    WARNING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    key = key == null ? "" : key;
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic error(Location location, String key, String message) {
    return new Diagnostic(Severity.ERROR, location, key, message);
  }

  public static Diagnostic warning(Location location, String key, String message) {
    return new Diagnostic(Severity.WARNING, location, key, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:col: error: message}. */
  public String format() {
    return location + ": " + severity.label() + ": " + message;
  }

  @Override
  public String toString() {
    return format();
  }
}
