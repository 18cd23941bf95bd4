package dev.gatehouse.config;

import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.yaml.KeyPaths;
import dev.gatehouse.config.yaml.YamlMapping;
import dev.gatehouse.config.yaml.YamlNode;
import dev.gatehouse.config.yaml.YamlScalar;
import dev.gatehouse.config.yaml.YamlSequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed access to a {@link YamlNode} tree that records a located error for every value that is not
 * what was expected and carries on, so one run reports every problem in a file. Each accessor
 * returns empty after reporting; callers skip the value and keep going.
 */
final class NodeReader {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(0|[1-9][0-9]{0,17})");

  static final int MAX_DIAGNOSTICS = 200;

  private final List<Diagnostic> diagnostics;

  NodeReader(List<Diagnostic> initial) {
    this.diagnostics = new ArrayList<>(initial);
  }

  List<Diagnostic> diagnostics() {
    return List.copyOf(diagnostics);
  }

  /**
   * Diagnostics in file order (line, then column), as a reader of the file meets them, at most
   * {@link #MAX_DIAGNOSTICS} of them (a generated file can hold thousands of the same mistake).
   */
  List<Diagnostic> sortedDiagnostics() {
    List<Diagnostic> sorted = new ArrayList<>(diagnostics);
    sorted.sort(Diagnostic.FILE_ORDER);
    if (sorted.size() > MAX_DIAGNOSTICS) {
      Diagnostic next = sorted.get(MAX_DIAGNOSTICS);
      int more = sorted.size() - MAX_DIAGNOSTICS;
      sorted = new ArrayList<>(sorted.subList(0, MAX_DIAGNOSTICS));
      sorted.add(
          Diagnostic.error(
              next.location(), "", more + " more problems not shown (fix the ones above first)"));
    }
    return List.copyOf(sorted);
  }

  /** The values of an enum by the name a file spells them with, for {@link #choice}. */
  static <E> Map<String, E> choices(E[] values, Function<E, String> name) {
    Map<String, E> map = new LinkedHashMap<>();
    for (E value : values) {
      map.put(name.apply(value), value);
    }
    return map;
  }

  /** A value as an error message quotes it: {@code 'text'} for a scalar, else what it is. */
  static String shown(YamlNode node) {
    return node instanceof YamlScalar s && !s.isNull()
        ? "'" + KeyPaths.shown(s.text()) + "'"
        : node.describe();
  }

  boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  void error(Location location, String path, String text) {
    diagnostics.add(KeyPaths.error(location, path, path, text));
  }

  void error(YamlNode at, String path, String text) {
    error(at.location(), path, text);
  }

  void warning(Location location, String path, String text) {
    diagnostics.add(KeyPaths.warning(location, path, path, text));
  }

  /**
   * The entries of a mapping by key, in file order; unknown keys are reported (with a suggestion)
   * and left out. A null value reads as an empty mapping. Empty after reporting a non-mapping.
   */
  Optional<Map<String, YamlMapping.Entry>> fields(
      YamlNode node, String path, List<String> known, String what) {
    if (node instanceof YamlScalar scalar && scalar.isNull()) {
      return Optional.of(Map.of());
    }
    if (!(node instanceof YamlMapping mapping)) {
      error(node, path, "expected " + what + " (a mapping), got " + node.describe());
      return Optional.empty();
    }
    Map<String, YamlMapping.Entry> fields = new LinkedHashMap<>();
    for (YamlMapping.Entry entry : mapping.entries()) {
      if (known.contains(entry.name())) {
        fields.put(entry.name(), entry);
        continue;
      }
      if (entry.name().equals("<<")) {
        diagnostics.add(
            KeyPaths.error(
                entry.key().location(),
                path,
                KeyPaths.child(path, "<<"),
                "merge keys ('<<') are not supported: write the keys out"));
        continue;
      }
      String suggestion = Suggestions.hint(entry.name(), known);
      String text =
          "unknown key '"
              + KeyPaths.shown(entry.name())
              + "'"
              + (suggestion.isEmpty()
                  ? "; expected one of: " + String.join(", ", known)
                  : suggestion);
      diagnostics.add(
          KeyPaths.error(entry.key().location(), path, KeyPaths.child(path, entry.name()), text));
    }
    return Optional.of(fields);
  }

  /** Any non-null scalar, as written. */
  Optional<Located<String>> string(YamlNode node, String path, String what) {
    if (node instanceof YamlScalar scalar && !scalar.isNull()) {
      return Optional.of(new Located<>(scalar.text(), scalar.location()));
    }
    error(node, path, "expected " + what + ", got " + node.describe());
    return Optional.empty();
  }

  /** A plain decimal integer (no YAML 1.1 octal, hex or sexagesimal surprises). */
  Optional<Long> integer(YamlNode node, String path, String what) {
    if (node instanceof YamlScalar scalar
        && scalar.kind() == YamlScalar.Kind.INT
        && DECIMAL.matcher(scalar.text()).matches()) {
      return Optional.of(Long.parseLong(scalar.text()));
    }
    error(node, path, "expected " + what + " (a decimal integer), got " + node.describe());
    return Optional.empty();
  }

  /** An integer in {@code [min, max]}. */
  Optional<Integer> integer(YamlNode node, String path, String what, long min, long max) {
    Optional<Long> value = integer(node, path, what);
    if (value.isPresent() && (value.get() < min || value.get() > max)) {
      error(node, path, what + " " + value.get() + " out of range (" + min + "-" + max + ")");
      return Optional.empty();
    }
    return value.map(Long::intValue);
  }

  /** {@code true} or {@code false} (YAML 1.1's yes/no/on/off are refused as ambiguous). */
  Optional<Boolean> bool(YamlNode node, String path) {
    if (node instanceof YamlScalar scalar && scalar.kind() == YamlScalar.Kind.BOOL) {
      switch (scalar.text()) {
        case "true", "True", "TRUE":
          return Optional.of(true);
        case "false", "False", "FALSE":
          return Optional.of(false);
        default:
          break;
      }
    }
    error(node, path, "expected true or false, got " + node.describe());
    return Optional.empty();
  }

  /** One of the keys of {@code choices}, with a suggestion for a near miss. */
  <E> Optional<E> choice(YamlNode node, String path, Map<String, E> choices) {
    String expected = "expected one of " + String.join(", ", choices.keySet());
    if (node instanceof YamlScalar scalar && !scalar.isNull()) {
      E value = choices.get(scalar.text());
      if (value != null) {
        return Optional.of(value);
      }
      error(
          node,
          path,
          expected
              + ", got '"
              + KeyPaths.shown(scalar.text())
              + "'"
              + Suggestions.hint(scalar.text(), choices.keySet()));
      return Optional.empty();
    }
    error(node, path, expected + ", got " + node.describe());
    return Optional.empty();
  }

  /** The items of a list; empty after reporting a non-list or (unless allowed) an empty list. */
  Optional<List<YamlNode>> list(YamlNode node, String path, String what, boolean allowEmpty) {
    if (!(node instanceof YamlSequence sequence)) {
      String fix =
          node instanceof YamlScalar s && !s.isNull()
              ? " (write it as a list: [" + KeyPaths.shown(s.text()) + "])"
              : "";
      error(node, path, "expected a list of " + what + ", got " + node.describe() + fix);
      return Optional.empty();
    }
    if (sequence.items().isEmpty() && !allowEmpty) {
      error(node, path, "empty list: name at least one of " + what + ", or remove the key");
      return Optional.empty();
    }
    return Optional.of(sequence.items());
  }

  /** A list of non-empty strings, each with its location; bad items are reported and skipped. */
  Optional<List<Located<String>>> strings(
      YamlNode node, String path, String what, boolean allowEmpty) {
    Optional<List<YamlNode>> items = list(node, path, what, allowEmpty);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Located<String>> values = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      YamlNode item = items.get().get(i);
      String itemPath = KeyPaths.index(path, i);
      if (item instanceof YamlScalar scalar && !scalar.isNull() && !scalar.text().isBlank()) {
        values.add(new Located<>(scalar.text(), scalar.location()));
      } else if (item instanceof YamlScalar scalar && !scalar.isNull()) {
        error(item, itemPath, "empty string is not one of " + what);
      } else {
        error(item, itemPath, "expected a string, got " + item.describe());
      }
    }
    return Optional.of(values);
  }
}
