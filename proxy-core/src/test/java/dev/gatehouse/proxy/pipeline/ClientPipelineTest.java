package dev.gatehouse.proxy.pipeline;

import static dev.gatehouse.proxy.pipeline.TestContexts.send;
import static dev.gatehouse.proxy.pipeline.TestContexts.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.observe.CallEnd;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client stages end to end on an {@link EmbeddedChannel}: everything here is answered by the
 * proxy itself (no DNS, no upstream), so nothing leaves the test.
 */
class ClientPipelineTest {
  private static final String POLICY =
      """
      version: 1
      defaults: {action: deny}
      rules:
        - id: docs
          allow: [docs.example]
        - id: paste
          deny: [paste.example]
      anonymous: default
      """;

  private final TestContexts.RecordingObserver observer = new TestContexts.RecordingObserver();
  private final EmbeddedChannel ch = TestContexts.client(TestContexts.context(POLICY, observer));

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

  private static List<Integer> statuses(String out) {
    Matcher m = STATUS.matcher(out);
    java.util.ArrayList<Integer> all = new java.util.ArrayList<>();
    while (m.find()) {
      all.add(Integer.parseInt(m.group(1)));
    }
    return all;
  }

  @Test
  void deniedHost_gets403WithGatehouseHeadersAndDecisionLine() {
    send(ch, "GET http://evil.example/x?token=1 HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    String out = written(ch);
    assertThat(out)
        .startsWith(
            "HTTP/1.1 403 Blocked by Gatehouse: evil.example not allowed for agent anonymous (rule default)\r\n")
        .contains("Gatehouse-Decision: deny\r\n")
        .contains("Gatehouse-Rule: default\r\n")
        .contains("Gatehouse-Reason: default_deny\r\n")
        .contains("Gatehouse-Request-Id: ")
        .contains("\r\n\r\nGATEHOUSE_DECISION {\"decision\":\"deny\",\"reason\":\"default_deny\"");
    assertThat(ch.isOpen()).isTrue(); // no body: the connection stays usable
    CallEnd end = observer.ends.get(0);
    assertThat(end.statusCode()).isEqualTo(403);
    assertThat(end.urlFull()).isEqualTo("http://evil.example/x");
    assertThat(end.decision().reason()).isEqualTo(Reason.DEFAULT_DENY);
  }

  @Test
  void pipelinedRequests_eachGetTheirOwnDecisionInOrder() {
    send(
        ch,
        "GET http://paste.example/ HTTP/1.1\r\nHost: paste.example\r\n\r\n"
            + "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n"
            + "HEAD http://paste.example/ HTTP/1.1\r\nHost: paste.example\r\n\r\n");
    ch.runPendingTasks();
    String out = written(ch);
    assertThat(statuses(out)).containsExactly(403, 403, 403);
    assertThat(out.indexOf("Gatehouse-Reason: rule_deny"))
        .isLessThan(out.indexOf("Gatehouse-Reason: default_deny"));
    assertThat(observer.starts).hasSize(3);
    assertThat(observer.ends).hasSize(3);
    assertThat(observer.ends.stream().map(e -> e.decision().reason()))
        .containsExactly(Reason.RULE_DENY, Reason.DEFAULT_DENY, Reason.RULE_DENY);
    // the HEAD answer carries no body even though it was pipelined behind GETs
    String head = out.substring(out.lastIndexOf("HTTP/1.1 403"));
    assertThat(head).endsWith("\r\n\r\n");
  }

  @Test
  void originForm_is400AndNeverForwarded() {
    send(ch, "GET / HTTP/1.1\r\nHost: docs.example\r\n\r\n");
    String out = written(ch);
    assertThat(statuses(out)).containsExactly(400);
    assertThat(out).contains("origin-form").contains("Gatehouse-Reason: bad_request");
    assertThat(ch.isOpen()).isFalse();
    assertThat(observer.ends).hasSize(1);
    assertThat(observer.ends.get(0).decision().reason()).isEqualTo(Reason.BAD_REQUEST);
  }

  @Test
  void hostHeaderDisagreeingWithTheUri_is400() {
    send(ch, "GET http://docs.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 400 ").contains("disagrees");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void hostHeaderWithOtherPort_is400() {
    send(ch, "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example:8080\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 400 ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // CL + TE
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // repeated, conflicting Content-Length
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
        // repeated, equal Content-Length
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd",
        // Content-Length that is not a number
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nContent-Length: +4\r\n\r\nabcd",
        // Transfer-Encoding other than exactly chunked
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // Transfer-Encoding in HTTP/1.0
        "POST http://docs.example/ HTTP/1.0\r\nHost: docs.example\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // obs-fold
        "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nX-A: one\r\n two\r\n\r\n",
        // whitespace between name and colon
        "GET http://docs.example/ HTTP/1.1\r\nHost : docs.example\r\n\r\n",
        // control character in a value
        "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nX-A: a\u0001b\r\n\r\n",
        // bad character in a name
        "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nX(A): b\r\n\r\n",
        // repeated Host
        "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nHost: evil.example\r\n\r\n",
        // garbage
        "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003garbage\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        // bare LF line endings
        "GET http://docs.example/ HTTP/1.1\nHost: docs.example\n\n",
      })
  void smugglingAndMalformedInput_get400AndClose(String request) {
    send(ch, request);
    String out = written(ch);
    assertThat(statuses(out)).as(request).containsExactly(400);
    assertThat(out)
        .contains("Gatehouse-Reason: bad_request")
        .containsIgnoringCase("Connection: close");
    assertThat(ch.isOpen()).isFalse();
    assertThat(observer.ends).hasSize(1);
    assertThat(observer.ends.get(0).decision().action()).isEqualTo(Action.DENY);
  }

  @Test
  void oversizedHeaders_get431() {
    send(
        ch,
        "GET http://docs.example/ HTTP/1.1\r\nHost: docs.example\r\nX-Big: "
            + "a".repeat(20_000)
            + "\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 431 ");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void deniedRequestWithABody_closesTheConnectionAfterTheAnswer() {
    send(
        ch,
        "POST http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 10\r\n\r\n12345");
    String out = written(ch);
    assertThat(out).startsWith("HTTP/1.1 403 ").containsIgnoringCase("Connection: close");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void connectWithoutPort_is400() {
    send(ch, "CONNECT docs.example HTTP/1.1\r\nHost: docs.example\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 400 ").contains("needs a port");
    assertThat(observer.starts.get(0).kind())
        .isEqualTo(dev.gatehouse.proxy.observe.CallKind.TUNNEL);
    assertThat(observer.ends).hasSize(1);
  }

  @Test
  void deniedConnect_is403WithActionableReasonPhraseAndCloses() {
    send(
        ch,
        "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n\u0016\u0003\u0001");
    String out = written(ch);
    assertThat(out)
        .startsWith(
            "HTTP/1.1 403 Blocked by Gatehouse: evil.example not allowed for agent anonymous (rule default)\r\n");
    assertThat(ch.isOpen()).isFalse();
    assertThat(observer.ends.get(0).urlFull()).isEqualTo("evil.example:443");
  }

  @Test
  void invalidHost_is400() {
    send(ch, "GET http://exa_mple..com/ HTTP/1.1\r\nHost: exa_mple..com\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 400 ").contains("invalid host");
  }

  @Test
  void httpsInAbsoluteForm_is400() {
    send(ch, "GET https://docs.example/ HTTP/1.1\r\nHost: docs.example\r\n\r\n");
    assertThat(written(ch)).startsWith("HTTP/1.1 400 ").contains("CONNECT");
  }

  @Test
  void clientClosingMidRequest_endsTheCallOnce() {
    send(
        ch,
        "POST http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 10\r\n\r\n12");
    ch.close();
    assertThat(observer.ends).hasSize(1);
  }

  @Test
  void slowLoris_headNotCompleteIn30s_isClosed() {
    send(ch, "GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n");
    ch.advanceTimeBy(29, java.util.concurrent.TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    send(ch, "X-Slow: 1\r\n");
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void headCompletedInTime_keepsTheConnection() {
    send(ch, "GET http://evil.example/ HTTP/1.1\r\n");
    send(ch, "Host: evil.example\r\n\r\n");
    ch.advanceTimeBy(60, java.util.concurrent.TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(written(ch)).startsWith("HTTP/1.1 403 ");
    assertThat(ch.isOpen()).isTrue();
  }
}
