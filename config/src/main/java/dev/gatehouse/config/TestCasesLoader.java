package dev.gatehouse.config;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.TestCase;
import dev.gatehouse.config.yaml.KeyPaths;
import dev.gatehouse.config.yaml.YamlMapping;
import dev.gatehouse.config.yaml.YamlNode;
import dev.gatehouse.config.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a cases file for {@code gatehouse test}: a YAML list of {@link TestCase} mappings, e.g.
 * {@code - {agent: ci, request: "GET https://pypi.org/simple/", expect: allow, rule: pypi}}.
 */
public final class TestCasesLoader {
  static final List<String> CASE_KEYS =
      List.of("agent", "request", "expect", "rule", "reason", "resolve", "comment");

  /** {@code expect:} takes the same words as a rule's action. */
  private static final Map<String, Action> EXPECT = RuleReader.ACTIONS;

  private TestCasesLoader() {}

  public static List<TestCase> load(Path file) throws ConfigException {
    String source = file.toString();
    byte[] bytes;
    try {
      bytes = PolicyLoader.readBounded(file);
    } catch (IOException e) {
      throw new ConfigException(PolicyLoader.unreadable(source, e));
    }
    YamlReader.Parsed parsed = YamlReader.read(bytes, source);
    NodeReader in = new NodeReader(parsed.diagnostics());
    List<TestCase> cases = new ArrayList<>();
    parsed
        .root()
        .flatMap(root -> in.list(root, "", "test cases", false))
        .ifPresent(
            items -> {
              for (int i = 0; i < items.size(); i++) {
                testCase(in, items.get(i), KeyPaths.index("", i)).ifPresent(cases::add);
              }
            });
    if (parsed.root().isEmpty() && parsed.diagnostics().isEmpty()) {
      in.error(new Location(source, 1, 1), "", "empty file: expected a list of test cases");
    }
    if (in.hasErrors()) {
      throw new ConfigException(in.sortedDiagnostics());
    }
    return List.copyOf(cases);
  }

  private static Optional<TestCase> testCase(NodeReader in, YamlNode node, String path) {
    Optional<Map<String, YamlMapping.Entry>> maybeFields =
        in.fields(node, path, CASE_KEYS, "a test case");
    if (maybeFields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlMapping.Entry> fields = maybeFields.get();
    Optional<String> agent = optionalString(in, fields, path, "agent");
    Optional<String> request = optionalString(in, fields, path, "request");
    Optional<Action> expect =
        Optional.ofNullable(fields.get("expect"))
            .flatMap(e -> in.choice(e.value(), KeyPaths.child(path, "expect"), EXPECT));
    for (String required : List.of("request", "expect")) {
      if (!fields.containsKey(required)) {
        in.error(node, KeyPaths.child(path, required), "test case needs '" + required + "'");
      }
    }
    Map<String, List<String>> resolve = new LinkedHashMap<>();
    if (fields.containsKey("resolve")) {
      YamlNode value = fields.get("resolve").value();
      String resolvePath = KeyPaths.child(path, "resolve");
      if (value instanceof YamlMapping mapping) {
        for (YamlMapping.Entry e : mapping.entries()) {
          in.strings(e.value(), KeyPaths.child(resolvePath, e.name()), "IP addresses", false)
              .ifPresent(ips -> resolve.put(e.name(), ips.stream().map(Located::value).toList()));
        }
      } else {
        in.error(
            value, resolvePath, "expected a mapping of host: [ip, ...], got " + value.describe());
      }
    }
    if (request.isEmpty() || expect.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new TestCase(
            agent,
            request.get(),
            expect.get(),
            optionalString(in, fields, path, "rule"),
            optionalString(in, fields, path, "reason"),
            resolve,
            node.location()));
  }

  private static Optional<String> optionalString(
      NodeReader in, Map<String, YamlMapping.Entry> fields, String path, String key) {
    return Optional.ofNullable(fields.get(key))
        .flatMap(e -> in.string(e.value(), KeyPaths.child(path, key), "a string"))
        .map(Located::value);
  }
}
