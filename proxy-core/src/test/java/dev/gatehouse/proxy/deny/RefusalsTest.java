package dev.gatehouse.proxy.deny;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RefusalsTest {
  private static Decision decision(Action a, Reason r, String rule, String agent) {
    return new Decision(a, r, rule, agent, "v1", true, false);
  }

  @Test
  void block_phraseIsTheSpecSentence() {
    Refusal r =
        new Refusal(
            403,
            decision(Action.DENY, Reason.DEFAULT_DENY, "default", "ci"),
            "GET",
            "evil.example",
            443,
            "rid-1",
            "");
    assertThat(Refusals.phrase(r))
        .isEqualTo("Blocked by Gatehouse: evil.example not allowed for agent ci (rule default)");
  }

  @Test
  void render_hasHeadersAndMachineReadableFirstLine() {
    Refusal r =
        new Refusal(
            403,
            decision(Action.DENY, Reason.RULE_DENY, "no-paste", "ci"),
            "POST",
            "paste.example",
            443,
            "rid-2",
            "");
    FullHttpResponse res = Refusals.render(r, ByteBufAllocator.DEFAULT, true);
    try {
      assertThat(res.status().code()).isEqualTo(403);
      assertThat(res.headers().get("Content-Type")).startsWith("text/plain");
      assertThat(res.headers().get("Gatehouse-Decision")).isEqualTo("deny");
      assertThat(res.headers().get("Gatehouse-Rule")).isEqualTo("no-paste");
      assertThat(res.headers().get("Gatehouse-Reason")).isEqualTo("rule_deny");
      assertThat(res.headers().get("Gatehouse-Request-Id")).isEqualTo("rid-2");
      assertThat(res.headers().contains("Connection")).isFalse();
      String body = res.content().toString(StandardCharsets.UTF_8);
      assertThat(body.lines().findFirst().orElseThrow())
          .startsWith(
              "GATEHOUSE_DECISION {\"decision\":\"deny\",\"reason\":\"rule_deny\",\"rule\":\"no-paste\",\"host\":\"paste.example\",\"port\":443,\"agent\":\"ci\",\"request_id\":\"rid-2\",\"approval_id\":null");
      assertThat(body)
          .contains("not a network failure")
          .contains("bypassing the proxy will not work")
          .contains("rule no-paste")
          .contains("To get access");
      assertThat(res.headers().getInt("Content-Length")).isEqualTo(res.content().readableBytes());
    } finally {
      res.release();
    }
  }

  @Test
  void proxyAuth_has407Challenge() {
    Refusal r =
        new Refusal(
            407,
            decision(Action.DENY, Reason.AUTH_REQUIRED, "default", "anonymous"),
            "GET",
            "a.example",
            80,
            "rid",
            "");
    FullHttpResponse res = Refusals.render(r, ByteBufAllocator.DEFAULT, false);
    try {
      assertThat(res.headers().get("Proxy-Authenticate")).isEqualTo("Basic realm=\"gatehouse\"");
      assertThat(res.headers().get("Connection")).isEqualTo("close");
    } finally {
      res.release();
    }
  }

  @Test
  void upstreamError_saysItIsNotAPolicyBlock() {
    Refusal r =
        new Refusal(
            502,
            decision(Action.DENY, Reason.UPSTREAM_ERROR, "docs", "ci"),
            "GET",
            "docs.example",
            80,
            "rid",
            "connection refused by 1.2.3.4:80");
    assertThat(Refusals.phrase(r))
        .isEqualTo("Gatehouse could not reach docs.example:80: connection refused by 1.2.3.4:80");
    assertThat(Refusals.body(r))
        .contains("not a policy block")
        .contains("\"reason\":\"upstream_error\"");
    Refusal timeout = new Refusal(504, r.decision(), "GET", "docs.example", 80, "rid", "");
    assertThat(Refusals.phrase(timeout))
        .isEqualTo("Gatehouse timed out connecting to docs.example:80");
  }

  @Test
  void phrase_neverCarriesControlCharacters() {
    Refusal r =
        new Refusal(
            400,
            decision(Action.DENY, Reason.BAD_REQUEST, "default", "a"),
            "GET",
            "",
            0,
            "rid",
            "bad\r\nInjected: yes\u00e9");
    assertThat(Refusals.phrase(r))
        .doesNotContain("\r")
        .doesNotContain("\n")
        .matches("[\\x20-\\x7e]+");
  }

  @Test
  void json_escapesQuotes() {
    Refusal r =
        new Refusal(
            403,
            decision(Action.DENY, Reason.RULE_DENY, "we\"ird", "a\\b"),
            "GET",
            "h",
            80,
            "rid",
            "");
    assertThat(Refusals.body(r))
        .contains("\"rule\":\"we\\\"ird\"")
        .contains("\"agent\":\"a\\\\b\"");
  }
}
