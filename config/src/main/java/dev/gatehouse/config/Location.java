package dev.gatehouse.config;

import java.util.Objects;

/**
 * Where a value came from: file, 1-based line and column. Every config error carries one so a
 * security team can jump straight to the offending line.
 */
public record Location(String file, int line, int column) {
  public Location {
    Objects.requireNonNull(file, "file");
  }

  /** A location for values that did not come from a file (built-in defaults, flags). */
  public static Location builtIn(String what) {
    return new Location(what, 0, 0);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
