package dev.gatehouse.config;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.DefaultsModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.NetworkModel;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.RuleModel;
import dev.gatehouse.config.yaml.KeyPaths;
import dev.gatehouse.config.yaml.YamlMapping;
import dev.gatehouse.config.yaml.YamlNode;
import dev.gatehouse.config.yaml.YamlReader;
import dev.gatehouse.config.yaml.YamlScalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds a {@link PolicyModel} from a policy file's tree (SPEC §2), checking what can be checked
 * without compiling: keys, types, defaults, network, agent identity; the rules themselves are read
 * by {@link RuleReader}. CIDRs are kept as written, with locations, for the policy engine.
 */
final class PolicyReader {
  static final List<String> TOP_KEYS =
      List.of("version", "defaults", "network", "rules", "agents", "anonymous");
  static final List<String> DEFAULTS_KEYS = List.of("action", "mode");
  static final List<String> NETWORK_KEYS = List.of("block_private", "allow_cidrs", "deny_cidrs");
  static final List<String> AGENT_KEYS =
      List.of("token_sha256", "token_env", "source_cidrs", "mode", "default", "rules");

  private static final Map<String, Mode> MODES = NodeReader.choices(Mode.values(), Mode::wireName);
  private static final Map<String, AnonymousPolicy> ANONYMOUS =
      NodeReader.choices(AnonymousPolicy.values(), a -> a.name().toLowerCase(Locale.ROOT));

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern AGENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}");

  private final String source;
  private final NodeReader in;
  private final RuleReader ruleReader;

  private PolicyReader(String source, NodeReader in) {
    this.source = source;
    this.in = in;
    this.ruleReader = new RuleReader(in);
  }

  static PolicyLoader.Result read(byte[] bytes, String source) {
    YamlReader.Parsed parsed = YamlReader.read(bytes, source);
    NodeReader in = new NodeReader(parsed.diagnostics());
    if (parsed.root().isEmpty()) {
      if (!in.hasErrors()) {
        in.error(new Location(source, 1, 1), "", "empty file: a policy starts with 'version: 1'");
      }
      return new PolicyLoader.Result(Optional.empty(), in.sortedDiagnostics());
    }
    YamlNode root = parsed.root().get();
    if (!(root instanceof YamlMapping)) {
      in.error(
          root,
          "",
          "expected a policy (a mapping with keys "
              + String.join(", ", TOP_KEYS)
              + "), got "
              + root.describe());
      return new PolicyLoader.Result(Optional.empty(), in.sortedDiagnostics());
    }
    PolicyModel model = new PolicyReader(source, in).policy((YamlMapping) root, version(bytes));
    return new PolicyLoader.Result(Optional.of(model), in.sortedDiagnostics());
  }

  /** The first 12 hex digits of the SHA-256 of the file's bytes. */
  static String version(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private PolicyModel policy(YamlMapping root, String version) {
    Map<String, YamlMapping.Entry> fields =
        in.fields(root, "", TOP_KEYS, "a policy").orElse(Map.of());

    YamlMapping.Entry versionEntry = fields.get("version");
    if (versionEntry == null) {
      in.error(root, "", "missing required key 'version' (expected 'version: 1')");
    } else {
      YamlNode node = versionEntry.value();
      if (!(node instanceof YamlScalar s
          && s.kind() == YamlScalar.Kind.INT
          && s.text().equals("1"))) {
        String got = NodeReader.shown(node);
        in.error(node, "version", "unsupported version " + got + " (expected 'version: 1')");
      }
    }

    DefaultsModel defaults = DefaultsModel.SAFE;
    if (fields.containsKey("defaults")) {
      defaults = defaults(fields.get("defaults").value());
    }
    NetworkModel network = NetworkModel.SAFE;
    if (fields.containsKey("network")) {
      network = network(fields.get("network").value());
    }
    List<RuleModel> rules = List.of();
    if (fields.containsKey("rules")) {
      rules = ruleReader.rules(fields.get("rules").value(), "rules");
    }
    List<AgentModel> agents = List.of();
    if (fields.containsKey("agents")) {
      agents = agents(fields.get("agents").value());
    }
    AnonymousPolicy anonymous = AnonymousPolicy.DENY;
    if (fields.containsKey("anonymous")) {
      anonymous =
          in.choice(fields.get("anonymous").value(), "anonymous", ANONYMOUS)
              .orElse(AnonymousPolicy.DENY);
    }
    return new PolicyModel(source, version, defaults, network, rules, agents, anonymous);
  }

  private DefaultsModel defaults(YamlNode node) {
    Map<String, YamlMapping.Entry> fields =
        in.fields(node, "defaults", DEFAULTS_KEYS, "defaults").orElse(Map.of());
    Action action = Action.DENY;
    Mode mode = Mode.ENFORCE;
    if (fields.containsKey("action")) {
      action =
          in.choice(fields.get("action").value(), "defaults.action", RuleReader.ACTIONS)
              .orElse(action);
    }
    if (fields.containsKey("mode")) {
      mode = in.choice(fields.get("mode").value(), "defaults.mode", MODES).orElse(mode);
    }
    return new DefaultsModel(action, mode);
  }

  private NetworkModel network(YamlNode node) {
    Map<String, YamlMapping.Entry> fields =
        in.fields(node, "network", NETWORK_KEYS, "network settings").orElse(Map.of());
    boolean blockPrivate = true;
    if (fields.containsKey("block_private")) {
      blockPrivate =
          in.bool(fields.get("block_private").value(), "network.block_private").orElse(true);
    }
    List<Located<String>> allow = cidrs(fields, "allow_cidrs");
    List<Located<String>> deny = cidrs(fields, "deny_cidrs");
    return new NetworkModel(blockPrivate, allow, deny);
  }

  private List<Located<String>> cidrs(Map<String, YamlMapping.Entry> fields, String key) {
    YamlMapping.Entry entry = fields.get(key);
    if (entry == null || entry.value() instanceof YamlScalar s && s.isNull()) {
      return List.of();
    }
    return in.strings(entry.value(), "network." + key, "CIDRs", true).orElse(List.of());
  }

  private List<AgentModel> agents(YamlNode node) {
    if (node instanceof YamlScalar s && s.isNull()) {
      return List.of();
    }
    if (!(node instanceof YamlMapping mapping)) {
      in.error(node, "agents", "expected agents by name (a mapping), got " + node.describe());
      return List.of();
    }
    List<AgentModel> agents = new ArrayList<>();
    for (YamlMapping.Entry entry : mapping.entries()) {
      agent(entry).ifPresent(agents::add);
    }
    return agents;
  }

  private Optional<AgentModel> agent(YamlMapping.Entry entry) {
    String name = entry.name();
    String path = KeyPaths.child("agents", name);
    if (name.equals("anonymous")) {
      in.error(
          entry.key().location(),
          path,
          "agent name 'anonymous' is reserved (clients without credentials; see 'anonymous:')");
    } else if (!AGENT_NAME.matcher(name).matches()) {
      in.error(
          entry.key().location(),
          path,
          "agent name '"
              + KeyPaths.shown(name)
              + "' may use only letters, digits and . _ @ + - (up to 64 characters; it is the"
              + " proxy user name, so no ':' or spaces)");
    }
    Optional<Map<String, YamlMapping.Entry>> maybeFields =
        in.fields(entry.value(), path, AGENT_KEYS, "an agent");
    if (maybeFields.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlMapping.Entry> fields = maybeFields.get();
    Location location = entry.key().location();

    Optional<String> tokenSha256 = Optional.empty();
    YamlMapping.Entry sha = fields.get("token_sha256");
    if (sha != null) {
      String shaPath = KeyPaths.child(path, "token_sha256");
      Optional<Located<String>> value = in.string(sha.value(), shaPath, "a SHA-256 hex digest");
      if (value.isPresent()) {
        // Never echo the value: people paste the token itself here by mistake.
        if (SHA256_HEX.matcher(value.get().value()).matches()) {
          tokenSha256 = Optional.of(value.get().value().toLowerCase(Locale.ROOT));
        } else {
          in.error(
              sha.value(),
              shaPath,
              "token_sha256 must be 64 hex characters (the SHA-256 of the token, e.g. from"
                  + " 'printf %s \"$TOKEN\" | sha256sum'); got "
                  + value.get().value().length()
                  + " characters");
        }
      }
    }
    Optional<String> tokenEnv = Optional.empty();
    YamlMapping.Entry env = fields.get("token_env");
    if (env != null) {
      String envPath = KeyPaths.child(path, "token_env");
      Optional<Located<String>> value =
          in.string(env.value(), envPath, "an environment variable name");
      if (value.isPresent() && ENV_NAME.matcher(value.get().value()).matches()) {
        tokenEnv = Optional.of(value.get().value());
      } else if (value.isPresent()) {
        in.error(
            env.value(),
            envPath,
            "token_env must name an environment variable (letters, digits and _, not starting"
                + " with a digit), e.g. CI_PROXY_TOKEN");
      }
    }
    if (sha != null && env != null) {
      in.error(
          env.key().location(),
          path,
          "token_sha256 and token_env are mutually exclusive: keep one");
    }
    List<Located<String>> sourceCidrs = List.of();
    YamlMapping.Entry cidrs = fields.get("source_cidrs");
    if (cidrs != null) {
      Optional<List<Located<String>>> value =
          in.strings(cidrs.value(), KeyPaths.child(path, "source_cidrs"), "CIDRs", false);
      sourceCidrs = value.orElse(List.of());
    }
    if (sha == null && env == null && cidrs == null) {
      in.error(
          location, path, "an agent needs token_sha256, token_env or source_cidrs to identify it");
    }
    Optional<Mode> mode = Optional.empty();
    if (fields.containsKey("mode")) {
      mode = in.choice(fields.get("mode").value(), KeyPaths.child(path, "mode"), MODES);
    }
    Optional<Action> defaultAction = Optional.empty();
    if (fields.containsKey("default")) {
      defaultAction =
          in.choice(
              fields.get("default").value(), KeyPaths.child(path, "default"), RuleReader.ACTIONS);
    }
    List<RuleModel> rules = List.of();
    if (fields.containsKey("rules")) {
      rules = ruleReader.rules(fields.get("rules").value(), KeyPaths.child(path, "rules"));
    }
    // An agent whose identity is wrong is still returned (without the bad values) so that
    // `check` can run the engine over its rules too; the errors already refuse the file, and
    // load()/parse() never hand out a model with errors.
    return Optional.of(
        new AgentModel(
            new Located<>(name, location),
            tokenSha256,
            tokenEnv,
            sourceCidrs,
            mode,
            defaultAction,
            rules,
            location));
  }
}
