package dev.gatehouse.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.pipeline.TestContexts;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpaqueTunnelsTest {
  private static final PolicyEngine ENGINE =
      TestContexts.policy(
              """
              version: 1
              defaults: {action: deny}
              rules:
                - id: ssh
                  allow: [git.example]
                  ports: [22]
                - id: web
                  allow: [web.example]
                - id: api
                  allow: [api.example]
                  ports: [443]
                  methods: [GET]
              agents:
                ci:
                  source_cidrs: [10.0.0.0/8]
                  rules:
                    - id: ci-ssh
                      allow: [build.example]
                      ports: ["2200-2299"]
              anonymous: default
              """,
              Map.of())
          .engine();

  @Test
  void explicitPortWithoutMethodsOrPaths_allowsOtherProtocols() {
    assertThat(OpaqueTunnels.allowed(ENGINE, "anonymous", Host.parse("git.example"), 22)).isTrue();
    assertThat(OpaqueTunnels.allowed(ENGINE, "ci", Host.parse("build.example"), 2222)).isTrue();
  }

  @Test
  void defaultPorts_orMethodRules_orOtherAgents_doNot() {
    assertThat(OpaqueTunnels.allowed(ENGINE, "anonymous", Host.parse("web.example"), 443))
        .isFalse();
    assertThat(OpaqueTunnels.allowed(ENGINE, "anonymous", Host.parse("api.example"), 443))
        .isFalse();
    assertThat(OpaqueTunnels.allowed(ENGINE, "anonymous", Host.parse("build.example"), 2222))
        .isFalse();
    assertThat(OpaqueTunnels.allowed(ENGINE, "anonymous", Host.parse("git.example"), 23)).isFalse();
  }
}
