package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Location;
import java.util.Objects;

/**
 * A scalar as written. {@code text} is the source text (never a YAML 1.1 reinterpretation: {@code
 * no} stays {@code "no"}); {@code kind} is what YAML's implicit typing made of it, so a loader can
 * ask for a real integer or boolean where one is expected.
 */
public record YamlScalar(String text, Kind kind, Location location) implements YamlNode {
  /** The implicit YAML 1.1 type of a scalar. Quoted scalars are always {@link #STRING}. */
  public enum Kind {
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL,
    /** Other implicit types (timestamps, ...): usable as text only. */
    OTHER
  }

  public YamlScalar {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  @Override
  public String describe() {
    return switch (kind) {
      case NULL -> "nothing (null)";
      case INT, FLOAT -> "the number " + KeyPaths.shown(text);
      case BOOL -> "the boolean " + KeyPaths.shown(text);
      default -> "the string '" + KeyPaths.shown(text) + "'";
    };
  }
}
