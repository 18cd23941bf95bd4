package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Location;
import java.util.List;
import java.util.Objects;

/** A YAML list. */
public record YamlSequence(List<YamlNode> items, Location location) implements YamlNode {
  public YamlSequence {
    items = List.copyOf(items);
    Objects.requireNonNull(location, "location");
  }

  @Override
  public String describe() {
    return "a list";
  }
}
