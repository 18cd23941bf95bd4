package dev.gatehouse.proxy.http;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.RecordedRequest;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plain HTTP forward proxy (SPEC §3, issue 3 item 2) on real sockets: a decision per request on
 * keep-alive and pipelined connections, hop-by-hop and proxy headers never forwarded, upstream
 * {@code Gatehouse-*} headers stripped, bodies in both directions intact.
 */
class ForwardProxyIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static String origin() {
    return TestPolicies.ORIGIN + ":" + upstream.port();
  }

  private static String get(String authority, String path, String... headers) {
    StringBuilder sb = new StringBuilder();
    sb.append("GET http://").append(authority).append(path).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(authority).append("\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  @Test
  void keepAlive_allowedThenDenied_decidedPerRequest() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(origin(), "/echo/first"));
      RawResponse first = c.readResponse();
      assertThat(first.status()).as(first.toString()).isEqualTo(200);

      c.send(get(TestPolicies.DENIED + ":" + upstream.port(), "/echo/second"));
      RawResponse second = c.readResponse();
      assertGatehouseBlock(second, 403, "rule_deny");

      if (!second.connectionClose()) {
        c.send(get(origin(), "/echo/third"));
        RawResponse third = c.readResponse();
        assertThat(third.status()).as(third.toString()).isEqualTo(200);
        assertThat(third.bodyText()).startsWith("GET /echo/third");
      }
    }
    assertThat(upstream.received())
        .extracting(RecordedRequest::uri)
        .doesNotContain("/echo/second")
        .allMatch(u -> u.startsWith("/echo/first") || u.startsWith("/echo/third"));
  }

  @Test
  void keepAlive_deniedThenAllowed_secondServed() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(TestPolicies.UNLISTED + ":" + upstream.port(), "/"));
      RawResponse denied = c.readResponse();
      assertGatehouseBlock(denied, 403, "default_deny");
      if (!denied.connectionClose()) {
        c.send(get(origin(), "/echo/after-deny"));
        RawResponse r = c.readResponse();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
      }
    }
  }

  @Test
  void pipelined_requests_eachDecidedInOrder() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          get(origin(), "/echo/p1")
              + get(origin(), "/echo/p2")
              + get(TestPolicies.DENIED + ":" + upstream.port(), "/echo/p3"));
      RawResponse r1 = c.readResponse();
      RawResponse r2 = c.readResponse();
      RawResponse r3 = c.readResponse();
      assertThat(r1.bodyText()).as(r1.toString()).startsWith("GET /echo/p1");
      assertThat(r2.bodyText()).as(r2.toString()).startsWith("GET /echo/p2");
      assertGatehouseBlock(r3, 403, "rule_deny");
    }
    assertThat(upstream.received())
        .extracting(RecordedRequest::uri)
        .containsExactly("/echo/p1", "/echo/p2");
  }

  @Test
  void pipelined_deniedFirst_laterAllowedRequestNotSmuggledThrough() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          get(TestPolicies.DENIED + ":" + upstream.port(), "/echo/d1") + get(origin(), "/echo/a2"));
      assertGatehouseBlock(c.readResponse(), 403, "rule_deny");
      // the proxy may close after a block; if it goes on, the next answer is for /echo/a2
      if (!c.isClosedByPeerWithin(Duration.ofMillis(200))) {
        RawResponse r2 = c.readResponse();
        assertThat(r2.bodyText()).as(r2.toString()).startsWith("GET /echo/a2");
      }
    }
    assertThat(upstream.received()).extracting(RecordedRequest::uri).doesNotContain("/echo/d1");
  }

  /**
   * 100 pipelined requests in one write: each is answered in order, or the proxy closes (its queue
   * is bounded) and nothing it did not answer reached the upstream.
   */
  @Test
  void pipelinedFlood_answeredInOrderWithoutLoss() {
    int sent = 100;
    StringBuilder flood = new StringBuilder();
    for (int i = 0; i < sent; i++) {
      flood.append(get(origin(), "/echo/flood-" + i));
    }
    int answered = 0;
    try (RawClient c = gatehouse.client()) {
      c.send(flood.toString());
      for (int i = 0; i < sent; i++) {
        if (c.isClosedByPeerWithin(java.time.Duration.ofSeconds(2))) {
          break;
        }
        RawResponse r = c.readResponse();
        assertThat(r.bodyText()).as("response %d", i).startsWith("GET /echo/flood-" + i + "\n");
        answered++;
      }
    }
    assertThat(answered).isGreaterThan(0);
    assertThat(upstream.requests()).isEqualTo(answered);
  }

  @Test
  void hopByHopAndProxyHeaders_notForwarded() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          get(
              origin(),
              "/echo/hop",
              "Connection: keep-alive, X-Hop-Secret",
              "X-Hop-Secret: must-not-pass",
              "Keep-Alive: timeout=5",
              "Proxy-Connection: keep-alive",
              "TE: trailers",
              "X-End-To-End: kept"));
      RawResponse r = c.readResponse();
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }
    RecordedRequest seen = upstream.lastRequest();
    assertThat(seen.header("X-End-To-End")).isEqualTo("kept");
    for (String h : new String[] {"X-Hop-Secret", "Keep-Alive", "Proxy-Connection", "TE"}) {
      assertThat(seen.hasHeader(h)).as("%s forwarded: %s", h, seen).isFalse();
    }
  }

  @Test
  void upstreamGatehouseHeaders_stripped() {
    try (RawClient c = gatehouse.client()) {
      c.send(get(origin(), "/forge-headers"));
      RawResponse r = c.readResponse();
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.header(UpstreamServer.NAME_HEADER)).isEqualTo("http");
      assertThat(r.bodyText()).isEqualTo("forged\n");
      assertThat(r.headers())
          .as("a site must not be able to forge a Gatehouse block")
          .noneMatch(h -> h.getValue().contains("forged"))
          .noneMatch(h -> h.getKey().equalsIgnoreCase("Gatehouse-Rule"));
    }
  }

  @Test
  void requestAndResponseBodies_streamedIntact() {
    byte[] payload = new byte[200_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('A' + i % 23);
    }
    try (RawClient c = gatehouse.client()) {
      c.send(
          ("POST http://"
              + origin()
              + "/echo/post HTTP/1.1\r\nHost: "
              + origin()
              + "\r\nContent-Length: "
              + payload.length
              + "\r\n\r\n"));
      c.send(payload);
      RawResponse posted = c.readResponse();
      assertThat(posted.status()).as(posted.toString()).isEqualTo(200);

      c.send(
          "POST http://"
              + origin()
              + "/echo/chunked HTTP/1.1\r\nHost: "
              + origin()
              + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      RawResponse chunkedPost = c.readResponse();
      assertThat(chunkedPost.bodyText()).endsWith("\n\nhello world");

      c.send(get(origin(), "/bytes/300000"));
      assertThat(c.readResponse().body()).isEqualTo(UpstreamServer.expectedBytes(300_000));

      c.send(get(origin(), "/chunked/100000"));
      assertThat(c.readResponse().body()).isEqualTo(UpstreamServer.expectedBytes(100_000));
    }
    assertThat(upstream.received().get(0).body()).isEqualTo(payload);
  }

  /** NETTY-NOTES: a chunked response to an HTTP/1.0 client is de-chunked and ends with a close. */
  @Test
  void http10Client_getsUnchunkedBodyAndClose() {
    try (RawClient c = gatehouse.client()) {
      c.send("GET http://" + origin() + "/chunked/5000 HTTP/1.0\r\nHost: " + origin() + "\r\n\r\n");
      RawResponse r = c.readResponse();
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.hasHeader("Transfer-Encoding")).isFalse();
      assertThat(r.body()).isEqualTo(UpstreamServer.expectedBytes(5000));
    }
  }

  @Test
  void head_andStatusCodes_passThrough() {
    try (RawClient c = gatehouse.client()) {
      c.send("HEAD http://" + origin() + "/bytes/1000 HTTP/1.1\r\nHost: " + origin() + "\r\n\r\n");
      RawResponse head = c.readResponse(true);
      assertThat(head.status()).isEqualTo(200);
      c.send(get(origin(), "/status/404"));
      assertThat(c.readResponse().status()).isEqualTo(404);
      c.send(get(origin(), "/status/204"));
      assertThat(c.readResponse().status()).isEqualTo(204);
      c.send(get(origin(), "/echo/after"));
      assertThat(c.readResponse().bodyText()).startsWith("GET /echo/after");
    }
  }

  @Test
  void originFormRequest_is400NeverForwarded() {
    try (RawClient c = gatehouse.client()) {
      c.send("GET /echo HTTP/1.1\r\nHost: " + origin() + "\r\n\r\n");
      assertGatehouseBlock(c.readResponse(), 400, "bad_request");
    }
    assertThat(upstream.requests()).isZero();
  }

  @Test
  void hostHeaderDisagreeingWithTarget_is400() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "GET http://" + origin() + "/echo HTTP/1.1\r\nHost: " + TestPolicies.DENIED + "\r\n\r\n");
      assertGatehouseBlock(c.readResponse(), 400, "bad_request");
    }
    assertThat(upstream.requests()).isZero();
  }

  @Test
  void upstreamConnections_reusedAcrossRequests() {
    try (RawClient c = gatehouse.client()) {
      for (int i = 0; i < 5; i++) {
        c.send(get(origin(), "/echo/" + i));
        assertThat(c.readResponse().status()).isEqualTo(200);
      }
    }
    assertThat(upstream.requests()).isEqualTo(5);
    // one pooled connection at most (it may be left in the pool by an earlier test)
    assertThat(upstream.connections()).as("upstream keep-alive/pooling").isLessThanOrEqualTo(1);
  }
}
