package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Location;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A YAML mapping in file order. Keys are unique: {@link YamlReader} reports a repeated key as an
 * error and keeps only its first occurrence.
 */
public record YamlMapping(List<Entry> entries, Location location) implements YamlNode {
  /** One {@code key: value} pair. */
  public record Entry(YamlScalar key, YamlNode value) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    public String name() {
      return key.text();
    }
  }

  public YamlMapping {
    entries = List.copyOf(entries);
    Objects.requireNonNull(location, "location");
  }

  public Optional<Entry> get(String key) {
    return entries.stream().filter(e -> e.name().equals(key)).findFirst();
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
