package dev.gatehouse.proxy.auth;

import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.AnonymousPolicy;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.match.Cidr;
import dev.gatehouse.policy.match.CidrSet;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Who a client is (SPEC §2, {@code agents:} and {@code anonymous:}), compiled once per policy:
 * token hashes decoded, {@code token_env} read once, source CIDRs parsed. Tokens are only ever held
 * as SHA-256 digests and compared in constant time.
 */
public final class AgentDirectory {
  private static final System.Logger LOG = System.getLogger(AgentDirectory.class.getName());

  /** The agent name used for clients decided by the top-level rules only. */
  public static final String ANONYMOUS = "anonymous";

  private static final byte[] NO_TOKEN = new byte[32];

  private record Agent(String name, byte[] tokenDigest, CidrSet sources) {
    boolean fromSource(InetAddress client) {
      return sources.isEmpty() || sources.contains(client);
    }
  }

  /** The outcome of identifying a request's client. */
  public sealed interface Identity {}

  /** The client is {@code agent} (or {@link #ANONYMOUS} under {@code anonymous: default}). */
  public record Identified(String agent) implements Identity {}

  /**
   * The client is refused with 407: {@code auth_required} (no credentials) or {@code auth_failed}.
   *
   * @param claimed the agent name the client claimed, when it named a configured agent
   */
  public record Refused(Reason reason, String claimed, String detail) implements Identity {}

  private final Map<String, Agent> byName;
  private final List<Agent> byAddressOnly;
  private final AnonymousPolicy anonymous;
  private final Identified anonymousIdentity = new Identified(ANONYMOUS);

  private AgentDirectory(
      Map<String, Agent> byName, List<Agent> byAddressOnly, AnonymousPolicy anonymous) {
    this.byName = byName;
    this.byAddressOnly = byAddressOnly;
    this.anonymous = anonymous;
  }

  /** Compiles the agents of {@code model}; {@code env} reads {@code token_env} variables once. */
  public static AgentDirectory compile(PolicyModel model, UnaryOperator<String> env) {
    Map<String, Agent> byName = new HashMap<>();
    List<Agent> byAddress = new ArrayList<>();
    for (AgentModel a : model.agents()) {
      String name = a.name().value();
      byte[] digest = null;
      if (a.tokenSha256().isPresent()) {
        try {
          digest = HexFormat.of().parseHex(a.tokenSha256().get().trim());
        } catch (IllegalArgumentException e) {
          LOG.log(
              Level.WARNING, "agent {0}: token_sha256 is not hex; the agent cannot log in", name);
        }
        if (digest != null && digest.length != 32) {
          LOG.log(
              Level.WARNING,
              "agent {0}: token_sha256 is not 32 bytes; the agent cannot log in",
              name);
          digest = null;
        }
      } else if (a.tokenEnv().isPresent()) {
        String token = env.apply(a.tokenEnv().get());
        if (token == null || token.isEmpty()) {
          LOG.log(
              Level.WARNING,
              "agent {0}: environment variable {1} (token_env) is not set; the agent cannot log in",
              name,
              a.tokenEnv().get());
        } else {
          digest = sha256(token);
        }
      }
      List<Cidr> sources = new ArrayList<>();
      for (Located<String> c : a.sourceCidrs()) {
        try {
          sources.add(Cidr.parse(c.value()));
        } catch (IllegalArgumentException e) {
          LOG.log(
              Level.WARNING, "agent {0}: {1} at {2}; ignored", name, e.getMessage(), c.location());
        }
      }
      boolean hasToken = a.tokenSha256().isPresent() || a.tokenEnv().isPresent();
      Agent agent = new Agent(name, digest, CidrSet.of(sources));
      byName.put(name, agent);
      if (!hasToken && !sources.isEmpty()) {
        byAddress.add(agent);
      }
    }
    return new AgentDirectory(Map.copyOf(byName), List.copyOf(byAddress), model.anonymous());
  }

  /**
   * Identifies a request's client.
   *
   * @param proxyAuthorization the {@code Proxy-Authorization} header value, or null
   * @param client the client's address
   */
  public Identity identify(String proxyAuthorization, InetAddress client) {
    if (proxyAuthorization != null) {
      return identifyByCredentials(proxyAuthorization, client);
    }
    for (Agent a : byAddressOnly) {
      if (a.fromSource(client)) {
        return new Identified(a.name);
      }
    }
    if (anonymous == AnonymousPolicy.DEFAULT) {
      return anonymousIdentity;
    }
    return new Refused(
        Reason.AUTH_REQUIRED,
        ANONYMOUS,
        "this proxy requires credentials: set the proxy URL to http://AGENT:TOKEN@host:port");
  }

  private Identity identifyByCredentials(String header, InetAddress client) {
    String value = header.trim();
    if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
      return new Refused(
          Reason.AUTH_FAILED, ANONYMOUS, "only Basic proxy credentials are accepted");
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Refused(
          Reason.AUTH_FAILED, ANONYMOUS, "the proxy credentials are not valid Base64");
    }
    int colon = decoded.indexOf(':');
    String name = colon < 0 ? decoded : decoded.substring(0, colon);
    String token = colon < 0 ? "" : decoded.substring(colon + 1);
    Agent agent = byName.get(name);
    // hash even for unknown agents so timing says nothing about which names exist
    byte[] presented = sha256(token);
    byte[] expected = agent == null || agent.tokenDigest == null ? NO_TOKEN : agent.tokenDigest;
    boolean tokenOk = MessageDigest.isEqual(presented, expected);
    if (agent == null || agent.tokenDigest == null || !tokenOk) {
      return new Refused(
          Reason.AUTH_FAILED,
          agent == null ? ANONYMOUS : agent.name,
          "the agent name or token in the proxy credentials is wrong");
    }
    if (!agent.fromSource(client)) {
      return new Refused(
          Reason.AUTH_FAILED,
          agent.name,
          "agent " + agent.name + " may not connect from " + client.getHostAddress());
    }
    return new Identified(agent.name);
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is always available", e);
    }
  }

  @Override
  public String toString() {
    return "AgentDirectory" + byName.keySet(); // never token material
  }
}
