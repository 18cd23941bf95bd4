package dev.gatehouse.config.model;

import dev.gatehouse.config.Location;
import java.util.Objects;

/** A value from a file together with where it was written. */
public record Located<T>(T value, Location location) {
  public Located {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
