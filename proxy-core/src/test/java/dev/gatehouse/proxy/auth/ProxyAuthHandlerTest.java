package dev.gatehouse.proxy.auth;

import static dev.gatehouse.proxy.pipeline.TestContexts.send;
import static dev.gatehouse.proxy.pipeline.TestContexts.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.TestContexts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ProxyAuthHandlerTest {
  private static final String POLICY =
      """
      version: 1
      defaults: {action: deny}
      agents:
        ci:
          token_sha256: "%s"
      anonymous: deny
      """
          .formatted(HexFormat.of().formatHex(AgentDirectory.sha256("tok")));

  private final TestContexts.RecordingObserver observer = new TestContexts.RecordingObserver();
  private final EmbeddedChannel ch = TestContexts.client(TestContexts.context(POLICY, observer));

  @Test
  void noCredentials_gets407WithProxyAuthenticate() {
    send(ch, "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n");
    String out = written(ch);
    assertThat(out)
        .startsWith("HTTP/1.1 407 Proxy authentication required by Gatehouse")
        .containsIgnoringCase("Proxy-Authenticate: Basic realm=\"gatehouse\"")
        .contains("Gatehouse-Reason: auth_required");
    assertThat(observer.ends.get(0).decision().reason()).isEqualTo(Reason.AUTH_REQUIRED);
    assertThat(ch.isOpen()).isTrue(); // the client retries with credentials on this connection
  }

  @Test
  void wrongToken_gets407AuthFailed_andTheTokenIsNeverEchoed() {
    String creds =
        Base64.getEncoder().encodeToString("ci:wrong-secret".getBytes(StandardCharsets.UTF_8));
    send(
        ch,
        "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nProxy-Authorization: Basic "
            + creds
            + "\r\n\r\n");
    String out = written(ch);
    assertThat(out).startsWith("HTTP/1.1 407 ").contains("Gatehouse-Reason: auth_failed");
    assertThat(out).doesNotContain("wrong-secret").doesNotContain(creds);
  }

  @Test
  void rightToken_isDecidedForTheAgent() {
    String creds = Base64.getEncoder().encodeToString("ci:tok".getBytes(StandardCharsets.UTF_8));
    send(
        ch,
        "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\nProxy-Authorization: Basic "
            + creds
            + "\r\n\r\n");
    send(
        ch,
        "GET http://b.example/ HTTP/1.1\r\nHost: b.example\r\nProxy-Authorization: Basic "
            + creds
            + "\r\n\r\n");
    String out = written(ch);
    assertThat(out).contains("not allowed for agent ci (rule default)");
    assertThat(observer.ends).hasSize(2);
    assertThat(observer.ends).allSatisfy(e -> assertThat(e.decision().agent()).isEqualTo("ci"));
  }
}
