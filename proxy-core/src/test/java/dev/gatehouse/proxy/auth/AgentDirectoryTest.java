package dev.gatehouse.proxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.TestContexts;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentDirectoryTest {
  private static final String CI_TOKEN = "s3cret-ci-token";
  private static final String POLICY =
      """
      version: 1
      defaults: {action: deny}
      agents:
        ci:
          token_sha256: "%s"
        dev:
          token_env: DEV_TOKEN
          source_cidrs: [10.1.0.0/16]
        printer:
          source_cidrs: [10.9.0.0/24]
      anonymous: %s
      """;

  private static AgentDirectory directory(String anonymous) {
    String hash = HexFormat.of().formatHex(AgentDirectory.sha256(CI_TOKEN));
    return TestContexts.policy(POLICY.formatted(hash, anonymous), Map.of("DEV_TOKEN", "dev-token"))
        .agents();
  }

  private static String basic(String user, String token) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void tokenSha256_identifiesTheAgent() throws Exception {
    assertThat(directory("deny").identify(basic("ci", CI_TOKEN), ip("127.0.0.1")))
        .isEqualTo(new AgentDirectory.Identified("ci"));
  }

  @Test
  void wrongToken_isAuthFailed() throws Exception {
    AgentDirectory.Identity id = directory("deny").identify(basic("ci", "nope"), ip("127.0.0.1"));
    assertThat(id).isInstanceOf(AgentDirectory.Refused.class);
    assertThat(((AgentDirectory.Refused) id).reason()).isEqualTo(Reason.AUTH_FAILED);
  }

  @Test
  void unknownAgent_isAuthFailed() throws Exception {
    AgentDirectory.Identity id =
        directory("deny").identify(basic("ghost", CI_TOKEN), ip("127.0.0.1"));
    assertThat(((AgentDirectory.Refused) id).reason()).isEqualTo(Reason.AUTH_FAILED);
  }

  @Test
  void tokenEnv_isReadOnceAndMustComeFromTheSourceCidrs() throws Exception {
    AgentDirectory d = directory("deny");
    assertThat(d.identify(basic("dev", "dev-token"), ip("10.1.2.3")))
        .isEqualTo(new AgentDirectory.Identified("dev"));
    AgentDirectory.Identity elsewhere = d.identify(basic("dev", "dev-token"), ip("10.2.2.3"));
    assertThat(((AgentDirectory.Refused) elsewhere).reason()).isEqualTo(Reason.AUTH_FAILED);
  }

  @Test
  void sourceCidrsAlone_identifyByAddress() throws Exception {
    assertThat(directory("deny").identify(null, ip("10.9.0.7")))
        .isEqualTo(new AgentDirectory.Identified("printer"));
  }

  @Test
  void noCredentials_anonymousDeny_isAuthRequired() throws Exception {
    AgentDirectory.Identity id = directory("deny").identify(null, ip("127.0.0.1"));
    assertThat(((AgentDirectory.Refused) id).reason()).isEqualTo(Reason.AUTH_REQUIRED);
  }

  @Test
  void noCredentials_anonymousDefault_isAnonymous() throws Exception {
    assertThat(directory("default").identify(null, ip("127.0.0.1")))
        .isEqualTo(new AgentDirectory.Identified("anonymous"));
  }

  @Test
  void malformedCredentials_areAuthFailed() throws Exception {
    AgentDirectory d = directory("default");
    assertThat(((AgentDirectory.Refused) d.identify("Basic !!!", ip("127.0.0.1"))).reason())
        .isEqualTo(Reason.AUTH_FAILED);
    assertThat(((AgentDirectory.Refused) d.identify("Bearer x", ip("127.0.0.1"))).reason())
        .isEqualTo(Reason.AUTH_FAILED);
  }

  @Test
  void toString_neverShowsTokenMaterial() {
    assertThat(directory("deny").toString()).doesNotContain(CI_TOKEN).doesNotContain("dev-token");
  }
}
