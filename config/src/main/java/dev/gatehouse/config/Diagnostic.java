package dev.gatehouse.config;

import java.util.Objects;

/**
 * One error or warning about a config or policy file, rendered as {@code file:line:col:
 * error|warning: message} (the format compilers and CI annotators understand).
 *
 * @param key the offending key or dotted path ({@code rules[2].allow}), or empty
 */
public record Diagnostic(Severity severity, Location location, String key, String message) {
  public enum Severity {
    ERROR,
    WARNING;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
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
