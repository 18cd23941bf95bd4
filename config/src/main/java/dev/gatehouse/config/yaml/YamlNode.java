package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Location;

/**
 * A YAML value with where it was written: the SnakeYAML-free tree the loaders walk. Only plain
 * values exist here (strings, numbers, booleans, null, lists, mappings); {@link YamlReader} refuses
 * everything else before building the tree.
 */
public sealed interface YamlNode permits YamlScalar, YamlSequence, YamlMapping {
  Location location();

  /** How the value reads in an error message ("a list", "the string 'x'", ...). */
  String describe();
}
