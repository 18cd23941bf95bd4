package dev.gatehouse.config.model;

import dev.gatehouse.config.Location;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One expected decision from a cases file ({@code gatehouse test POLICY CASES}), e.g. {@code -
 * {agent: ci, request: "GET https://pypi.org/simple/", expect: allow, rule: python-packages}}.
 *
 * @param agent the agent making the request; empty means {@code anonymous}
 * @param request {@code METHOD URL} or {@code CONNECT host:port}
 * @param rule the deciding rule id to expect, when given
 * @param reason the reason to expect ({@code default_deny}, ...), when given
 * @param resolve simulated DNS answers, host to addresses, so address checks can be tested
 */
public record TestCase(
    Optional<String> agent,
    String request,
    Action expect,
    Optional<String> rule,
    Optional<String> reason,
    Map<String, List<String>> resolve,
    Location location) {
  public TestCase {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(expect, "expect");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
    resolve = Map.copyOf(resolve);
    Objects.requireNonNull(location, "location");
  }
}
