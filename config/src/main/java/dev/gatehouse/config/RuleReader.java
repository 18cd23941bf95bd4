package dev.gatehouse.config;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.PortRange;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.config.yaml.KeyPaths;
import dev.gatehouse.config.yaml.YamlMapping;
import dev.gatehouse.config.yaml.YamlNode;
import dev.gatehouse.config.yaml.YamlScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rule lists of a policy file (SPEC §2.1), the top-level ones and each agent's, for
 * {@link PolicyReader}: one action per rule, ports, methods, paths, and rule ids unique across the
 * whole file. Host patterns and CIDRs are kept as written, with locations, for the policy engine.
 */
final class RuleReader {
  static final List<String> ACTION_KEYS = List.of("allow", "deny", "ask");
  static final List<String> RULE_KEYS =
      List.of("id", "allow", "deny", "ask", "ports", "methods", "paths", "comment");

  static final Map<String, Action> ACTIONS = NodeReader.choices(Action.values(), Action::wireName);

  private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  /** RFC 9110 §5.6.2 token. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern PORT_RANGE = Pattern.compile("([0-9]{1,9})\\s*-\\s*([0-9]{1,9})");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,9}");

  private final NodeReader in;

  /** Rule ids seen so far (top-level, then each agent's) and where. */
  private final Map<String, Location> ids = new HashMap<>();

  RuleReader(NodeReader in) {
    this.in = in;
  }

  /** The rules under {@code path} ({@code rules}, {@code agents.ci.rules}); bad ones skipped. */
  List<RuleModel> rules(YamlNode node, String path) {
    if (node instanceof YamlScalar s && s.isNull()) {
      return List.of();
    }
    List<RuleModel> rules = new ArrayList<>();
    Optional<List<YamlNode>> items = in.list(node, path, "rules", true);
    if (items.isEmpty()) {
      return rules;
    }
    for (int i = 0; i < items.get().size(); i++) {
      rule(items.get().get(i), KeyPaths.index(path, i)).ifPresent(rules::add);
    }
    return rules;
  }

  /** One rule, or empty when it has no usable action (the errors say why). */
  private Optional<RuleModel> rule(YamlNode node, String path) {
    Optional<Map<String, YamlMapping.Entry>> maybeFields =
        in.fields(node, path, RULE_KEYS, "a rule");
    if (maybeFields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlMapping.Entry> fields = maybeFields.get();

    RuleId ruleId = ruleId(node, path, fields.get("id"));

    Action action = null;
    List<Located<String>> targets = List.of();
    YamlMapping.Entry first = null;
    for (YamlMapping.Entry entry : fields.values()) {
      if (!ACTION_KEYS.contains(entry.name())) {
        continue;
      }
      if (first != null) {
        in.error(
            entry.key().location(),
            path,
            "a rule has exactly one of allow, deny, ask; found '"
                + first.name()
                + "' (line "
                + first.key().location().line()
                + ") and '"
                + entry.name()
                + "': split it into two rules");
        action = null;
        continue;
      }
      first = entry;
      action = ACTIONS.get(entry.name());
      targets =
          in.strings(
                  entry.value(),
                  KeyPaths.child(path, entry.name()),
                  "host patterns or CIDRs",
                  false)
              .orElse(List.of());
    }
    if (first == null) {
      in.error(node, path, "a rule needs one of allow, deny, ask (a list of hosts or CIDRs)");
    }

    Optional<List<Located<PortRange>>> ports = Optional.empty();
    if (fields.containsKey("ports")) {
      ports = nonEmpty(ports(fields.get("ports").value(), KeyPaths.child(path, "ports")));
    }
    Optional<List<Located<String>>> methods = Optional.empty();
    if (fields.containsKey("methods")) {
      methods = nonEmpty(methods(fields.get("methods").value(), KeyPaths.child(path, "methods")));
    }
    Optional<List<Located<String>>> paths = Optional.empty();
    if (fields.containsKey("paths")) {
      paths = nonEmpty(paths(fields.get("paths").value(), KeyPaths.child(path, "paths")));
    }
    Optional<String> comment = Optional.empty();
    if (fields.containsKey("comment")) {
      comment =
          in.string(fields.get("comment").value(), KeyPaths.child(path, "comment"), "a comment")
              .map(Located::value);
    }

    if (action == null || targets.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleModel(
            ruleId.id(),
            ruleId.generated(),
            action,
            targets,
            ports,
            methods,
            paths,
            comment,
            node.location()));
  }

  private static <T> Optional<List<T>> nonEmpty(List<T> values) {
    // A list whose every item was bad reads as absent: the errors already refuse the file, and an
    // empty list would mean "matches nothing" to anyone who runs the engine on the partial model.
    return values.isEmpty() ? Optional.empty() : Optional.of(values);
  }

  private String generatedId(YamlNode rule) {
    return "rule-" + rule.location().line();
  }

  private record RuleId(Located<String> id, boolean generated) {}

  private RuleId ruleId(YamlNode rule, String path, YamlMapping.Entry entry) {
    Located<String> generatedId = new Located<>(generatedId(rule), rule.location());
    RuleId generated = new RuleId(generatedId, true);
    if (entry == null) {
      in.warning(
          rule.location(),
          path,
          "rule has no id; using '"
              + generatedId.value()
              + "' (give it an id: it appears in every decision, span and audit record)");
      claim(generatedId, path, true);
      return generated;
    }
    String idPath = KeyPaths.child(path, "id");
    Optional<Located<String>> id = in.string(entry.value(), idPath, "a rule id");
    if (id.isEmpty()) {
      return generated;
    }
    String value = id.get().value();
    if (value.equals("default")) {
      in.error(
          entry.value(),
          idPath,
          "rule id 'default' is reserved (decisions made by the default action use it)");
      return generated;
    }
    if (!RULE_ID.matcher(value).matches()) {
      in.error(
          entry.value(),
          idPath,
          "rule id '"
              + KeyPaths.shown(value)
              + "' may use only letters, digits and . _ - : / (up to 128 characters, starting"
              + " with a letter or digit)");
      return generated;
    }
    claim(id.get(), idPath, false);
    return new RuleId(id.get(), false);
  }

  private void claim(Located<String> id, String path, boolean generated) {
    Location first = ids.putIfAbsent(id.value(), id.location());
    if (first != null) {
      in.error(
          id.location(),
          path,
          generated
              ? "generated rule id '"
                  + id.value()
                  + "' clashes with the id at "
                  + first
                  + "; give this rule an id"
              : "duplicate rule id '" + id.value() + "' (first defined at " + first + ")");
    }
  }

  private List<Located<PortRange>> ports(YamlNode node, String path) {
    List<Located<PortRange>> ports = new ArrayList<>();
    Optional<List<YamlNode>> items =
        in.list(node, path, "ports (e.g. [443] or [\"8000-8100\"])", false);
    if (items.isEmpty()) {
      return ports;
    }
    for (int i = 0; i < items.get().size(); i++) {
      YamlNode item = items.get().get(i);
      port(item, KeyPaths.index(path, i))
          .ifPresent(r -> ports.add(new Located<>(r, item.location())));
    }
    return ports;
  }

  private Optional<PortRange> port(YamlNode item, String path) {
    if (!(item instanceof YamlScalar scalar) || scalar.isNull()) {
      in.error(item, path, "expected a port (1-65535) or a range \"a-b\", got " + item.describe());
      return Optional.empty();
    }
    String text = scalar.text().strip();
    Matcher range = PORT_RANGE.matcher(text);
    if (scalar.kind() != YamlScalar.Kind.FLOAT && PORT.matcher(text).matches()) {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        in.error(item, path, "port " + port + " out of range (1-65535)");
        return Optional.empty();
      }
      return Optional.of(PortRange.of(port));
    }
    if (scalar.kind() == YamlScalar.Kind.STRING && range.matches()) {
      int from = Integer.parseInt(range.group(1));
      int to = Integer.parseInt(range.group(2));
      for (int port : new int[] {from, to}) {
        if (port < 1 || port > 65535) {
          in.error(
              item,
              path,
              "port " + port + " out of range (1-65535) in range '" + KeyPaths.shown(text) + "'");
          return Optional.empty();
        }
      }
      if (from > to) {
        in.error(
            item,
            path,
            "port range '" + text + "' is not ascending (did you mean '" + to + "-" + from + "'?)");
        return Optional.empty();
      }
      return Optional.of(new PortRange(from, to));
    }
    in.error(
        item,
        path,
        "expected a port (1-65535) or a quoted range like \"8000-8100\", got " + item.describe());
    return Optional.empty();
  }

  private List<Located<String>> methods(YamlNode node, String path) {
    List<Located<String>> methods = new ArrayList<>();
    List<Located<String>> raw =
        in.strings(node, path, "HTTP methods (e.g. [GET, HEAD])", false).orElse(List.of());
    for (int i = 0; i < raw.size(); i++) {
      Located<String> method = raw.get(i);
      String itemPath = KeyPaths.index(path, i);
      String value = method.value();
      if (!TOKEN.matcher(value).matches()) {
        in.error(
            method.location(),
            itemPath,
            "'" + KeyPaths.shown(value) + "' is not an HTTP method (e.g. GET, POST)");
      } else if (!value.equals(value.toUpperCase(Locale.ROOT))) {
        in.error(
            method.location(),
            itemPath,
            "method '"
                + KeyPaths.shown(value)
                + "' must be upper case (did you mean '"
                + value.toUpperCase(Locale.ROOT)
                + "'?)");
      } else {
        methods.add(method);
      }
    }
    return methods;
  }

  private List<Located<String>> paths(YamlNode node, String path) {
    List<Located<String>> paths = new ArrayList<>();
    List<Located<String>> raw =
        in.strings(node, path, "path globs (e.g. [\"/v1/**\"])", false).orElse(List.of());
    for (int i = 0; i < raw.size(); i++) {
      Located<String> glob = raw.get(i);
      String itemPath = KeyPaths.index(path, i);
      String value = glob.value();
      if (!value.startsWith("/")) {
        in.error(
            glob.location(),
            itemPath,
            "path '"
                + KeyPaths.shown(value)
                + "' must start with '/' (did you mean '/"
                + KeyPaths.shown(value)
                + "'?)");
      } else if (value.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
        in.error(
            glob.location(),
            itemPath,
            "path '" + KeyPaths.shown(value) + "' contains a space or control character");
      } else {
        paths.add(glob);
      }
    }
    return paths;
  }
}
