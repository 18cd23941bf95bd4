package dev.gatehouse.proxy.deny;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Renders a {@link Refusal} as the response of SPEC §3: {@code text/plain}, the {@code Gatehouse-*}
 * headers, a reason phrase that is itself a short actionable sentence (for CONNECT most clients
 * print only the status line), and a body whose first line is {@code GATEHOUSE_DECISION {json}}
 * followed by text an agent can act on.
 */
public final class Refusals {
  public static final String DECISION_HEADER = "Gatehouse-Decision";
  public static final String RULE_HEADER = "Gatehouse-Rule";
  public static final String REASON_HEADER = "Gatehouse-Reason";
  public static final String REQUEST_ID_HEADER = "Gatehouse-Request-Id";
  private static final int MAX_PHRASE = 200;

  private Refusals() {}

  /** The full response; {@code keepAlive} false adds {@code Connection: close}. */
  public static FullHttpResponse render(Refusal r, ByteBufAllocator alloc, boolean keepAlive) {
    byte[] body = body(r).getBytes(StandardCharsets.UTF_8);
    ByteBuf content = alloc.buffer(body.length).writeBytes(body);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, new HttpResponseStatus(r.status(), phrase(r)), content);
    HttpHeaders h = res.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set(DECISION_HEADER, r.decision().action().wireName());
    h.set(RULE_HEADER, headerSafe(r.decision().ruleId()));
    h.set(REASON_HEADER, r.decision().reason().wireName());
    h.set(REQUEST_ID_HEADER, r.requestId());
    if (r.status() == 407) {
      h.set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"gatehouse\"");
    }
    if (r.status() == 503) {
      h.set(HttpHeaderNames.RETRY_AFTER, "1");
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return res;
  }

  /** The reason phrase: one short sentence, printable ASCII only. */
  public static String phrase(Refusal r) {
    Decision d = r.decision();
    String target = r.host().isEmpty() ? "this request" : r.host();
    String s =
        switch (r.status()) {
          case 403 -> blockPhrase(r, d, target);
          case 407 ->
              d.reason() == Reason.AUTH_REQUIRED
                  ? "Proxy authentication required by Gatehouse: send Basic credentials AGENT:TOKEN"
                  : "Proxy authentication failed at Gatehouse: wrong agent name or token";
          case 431 -> "Request headers too large for Gatehouse" + suffix(r.detail());
          case 400 -> "Bad request refused by Gatehouse" + suffix(r.detail());
          case 502 -> "Gatehouse could not reach " + hostPort(r) + suffix(r.detail());
          case 504 -> "Gatehouse timed out connecting to " + hostPort(r);
          case 503 -> "Gatehouse is at its connection limit, retry later";
          default -> "Gatehouse refused this request";
        };
    return headerSafe(s.length() > MAX_PHRASE ? s.substring(0, MAX_PHRASE) : s);
  }

  private static String blockPhrase(Refusal r, Decision d, String target) {
    String who = " for agent " + d.agent() + " (rule " + d.ruleId() + ")";
    return switch (d.reason()) {
      case PRIVATE_ADDRESS ->
          "Blocked by Gatehouse: "
              + target
              + " is a private or internal address"
              + suffix(r.detail());
      case DENIED_CIDR ->
          "Blocked by Gatehouse: " + target + " is in a denied network" + suffix(r.detail());
      case METHOD_NOT_ALLOWED ->
          "Blocked by Gatehouse: " + r.method() + " " + target + " not allowed" + who;
      case PATH_NOT_ALLOWED ->
          "Blocked by Gatehouse: this path on " + target + " not allowed" + who;
      case PORT_NOT_ALLOWED ->
          "Blocked by Gatehouse: port " + r.port() + " of " + target + " not allowed" + who;
      case RULE_ASK, DEFAULT_ASK, APPROVAL_TIMEOUT ->
          "Blocked by Gatehouse: " + target + " needs a person's approval" + who;
      case BAD_REQUEST -> "Blocked by Gatehouse: " + target + suffix(r.detail());
      default -> "Blocked by Gatehouse: " + target + " not allowed" + who;
    };
  }

  private static String suffix(String detail) {
    return detail.isEmpty() ? "" : ": " + detail;
  }

  private static String hostPort(Refusal r) {
    if (r.host().isEmpty()) {
      return "the upstream server";
    }
    String h = r.host().indexOf(':') >= 0 ? "[" + r.host() + "]" : r.host();
    return r.port() > 0 ? h + ":" + r.port() : h;
  }

  /** The body: the machine-readable line, then text for the agent. */
  public static String body(Refusal r) {
    Decision d = r.decision();
    StringBuilder b = new StringBuilder(768);
    b.append("GATEHOUSE_DECISION {\"decision\":");
    json(b, d.action().wireName());
    b.append(",\"reason\":");
    json(b, d.reason().wireName());
    b.append(",\"rule\":");
    json(b, d.ruleId());
    b.append(",\"host\":");
    json(b, r.host());
    b.append(",\"port\":").append(r.port());
    b.append(",\"agent\":");
    json(b, d.agent());
    b.append(",\"request_id\":");
    json(b, r.requestId());
    b.append(",\"approval_id\":null");
    b.append(",\"status\":").append(r.status());
    b.append(",\"policy_version\":");
    json(b, d.policyVersion());
    b.append("}\n");
    String target = r.host().isEmpty() ? "this request" : hostPort(r);
    switch (r.status()) {
      case 403 -> {
        b.append("Gatehouse, the egress proxy of this sandbox, blocked ")
            .append(r.method().isEmpty() ? "a request" : r.method())
            .append(" to ")
            .append(target)
            .append(" by policy.\n");
        b.append("Decided by: ")
            .append(
                Decision.DEFAULT_RULE.equals(d.ruleId())
                    ? "the policy's default action"
                    : "rule " + d.ruleId())
            .append(" for agent ")
            .append(d.agent())
            .append(" (reason ")
            .append(d.reason().wireName())
            .append(": ")
            .append(explain(d.reason()))
            .append(").\n");
        if (!r.detail().isEmpty()) {
          b.append("Detail: ").append(r.detail()).append(".\n");
        }
        b.append(
            "This is a policy decision, not a network failure and not a response from the site.\n");
        b.append(
            "Retrying will not help, and bypassing the proxy will not work: the sandbox has no other route out.\n");
        if (d.action() == Action.ASK) {
          b.append("A person must allow this host before the request can go through.\n");
        }
        b.append("To get access, ask whoever maintains this sandbox's Gatehouse policy to allow ")
            .append(target)
            .append(" for agent ")
            .append(d.agent())
            .append(", quoting request id ")
            .append(r.requestId())
            .append(" (`gatehouse explain` shows why it was blocked).\n");
      }
      case 407 -> {
        b.append(
            "Gatehouse, the egress proxy of this sandbox, needs to know which agent is asking.\n");
        b.append(
            "Send proxy credentials: set HTTPS_PROXY and HTTP_PROXY to http://AGENT:TOKEN@<proxy host>:<port>.\n");
        b.append("Bypassing the proxy will not work: the sandbox has no other route out.\n");
        if (!r.detail().isEmpty()) {
          b.append("Detail: ").append(r.detail()).append(".\n");
        }
      }
      case 400, 431 -> {
        b.append("Gatehouse, the egress proxy of this sandbox, refused a malformed request");
        b.append(r.detail().isEmpty() ? ".\n" : ": " + r.detail() + ".\n");
        b.append(
            "This is not a policy decision: fix the request (send absolute-form requests such as GET http://host/path to the proxy, or CONNECT host:port for HTTPS).\n");
      }
      case 502, 504 -> {
        b.append("Gatehouse, the egress proxy of this sandbox, could not complete the request to ")
            .append(target)
            .append(r.status() == 504 ? ": the connection timed out" : "")
            .append(r.detail().isEmpty() ? ".\n" : ": " + r.detail() + ".\n");
        b.append(
            "This is an upstream failure (reason upstream_error), not a policy block: the site may be down or unreachable. Retrying later may help.\n");
      }
      case 503 -> {
        b.append("Gatehouse, the egress proxy of this sandbox, is at a connection limit");
        b.append(r.detail().isEmpty() ? ".\n" : ": " + r.detail() + ".\n");
        b.append(
            "This is not a policy block: retry after a short wait, with fewer connections at once.\n");
      }
      default -> b.append("Gatehouse refused this request.\n");
    }
    return b.toString();
  }

  /** A sentence fragment on what a reason means. */
  public static String explain(Reason reason) {
    return switch (reason) {
      case RULE_ALLOW -> "a rule allows it";
      case RULE_DENY -> "a deny rule matches this host";
      case RULE_ASK -> "a rule says a person must approve this host";
      case DEFAULT_ALLOW -> "no rule matched and the default action is allow";
      case DEFAULT_DENY -> "no rule allows this host, and the default action is deny";
      case DEFAULT_ASK -> "no rule matched, and the default is to ask a person";
      case METHOD_NOT_ALLOWED -> "the host is allowed, but not for this method";
      case PATH_NOT_ALLOWED -> "the host is allowed, but not for this path";
      case PORT_NOT_ALLOWED -> "the host is allowed, but not on this port";
      case PRIVATE_ADDRESS ->
          "the host is, or resolves to, a private, internal or Gatehouse's own address";
      case DENIED_CIDR -> "the host is, or resolves to, an address in network.deny_cidrs";
      case APPROVAL_GRANTED -> "a person approved it";
      case APPROVAL_DENIED -> "a person refused it";
      case APPROVAL_TIMEOUT -> "nobody approved it in time";
      case AUTH_REQUIRED -> "no proxy credentials were sent";
      case AUTH_FAILED -> "the proxy credentials are wrong";
      case BAD_REQUEST -> "the request was malformed or not what the tunnel announced";
      case UPSTREAM_ERROR -> "the upstream server could not be reached";
    };
  }

  private static void json(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** Printable ASCII only: a reason phrase or header value can never split the response. */
  static String headerSafe(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        if (b == null) {
          b = new StringBuilder(s.substring(0, i));
        }
        b.append('?');
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
