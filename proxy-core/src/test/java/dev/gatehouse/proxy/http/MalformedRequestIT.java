package dev.gatehouse.proxy.http;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input on the proxy port (issue 3 items 2 and 7, RFC 9112 §6.3 and §11): every
 * request-smuggling shape gets 400 and a closed connection and is never forwarded; garbage never
 * crashes the server; oversized headers get 431; a few slow-loris connections do not starve a
 * normal client. After each case the proxy must still serve a normal request.
 */
class MalformedRequestIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static String origin() {
    return TestPolicies.ORIGIN + ":" + upstream.port();
  }

  private static String post(String... headerLines) {
    StringBuilder sb = new StringBuilder("POST http://" + origin() + "/echo/smuggle HTTP/1.1\r\n");
    sb.append("Host: ").append(origin()).append("\r\n");
    for (String h : headerLines) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  static Stream<Arguments> smuggling() {
    String inner = "GET http://" + TestPolicies.DENIED + "/ HTTP/1.1\r\nHost: x\r\n\r\n";
    return Stream.of(
        Arguments.of(
            "CL and TE",
            post("Content-Length: 4", "Transfer-Encoding: chunked") + "0\r\n\r\n" + inner),
        Arguments.of(
            "TE and CL",
            post("Transfer-Encoding: chunked", "Content-Length: 40") + "0\r\n\r\n" + inner),
        Arguments.of("two different CLs", post("Content-Length: 4", "Content-Length: 5") + "abcde"),
        Arguments.of("two equal CLs", post("Content-Length: 4", "Content-Length: 4") + "abcd"),
        Arguments.of("CL list", post("Content-Length: 4, 5") + "abcde"),
        Arguments.of("CL with sign", post("Content-Length: +4") + "abcd"),
        Arguments.of("negative CL", post("Content-Length: -1") + "abcd"),
        Arguments.of(
            "TE chunked not last", post("Transfer-Encoding: chunked, identity") + "0\r\n\r\n"),
        Arguments.of("unknown TE", post("Transfer-Encoding: xchunked") + "0\r\n\r\n"),
        Arguments.of("obs-fold", post("Content-Length: 0", "X-Folded: first", "  continued")),
        Arguments.of(
            "obs-fold of TE",
            post("Content-Length: 5", "Transfer-Encoding:", " chunked") + "0\r\n\r\n"),
        Arguments.of("space before colon", post("Content-Length : 4") + "abcd"),
        Arguments.of("control char in name", post("X-Bad\u0001Name: v", "Content-Length: 0")),
        Arguments.of("NUL in value", post("X-Bad: a\u0000b", "Content-Length: 0")),
        Arguments.of(
            "bare LF", "GET http://" + origin() + "/echo/lf HTTP/1.1\nHost: " + origin() + "\n\n"),
        Arguments.of(
            "bare CR",
            "GET http://"
                + origin()
                + "/echo/cr HTTP/1.1\r\nHost: "
                + origin()
                + "\r\nX-A: b\rX-C: d\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("smuggling")
  void smugglingAttempt_is400AndClosed_neverForwarded(String name, String request) {
    try (RawClient c = gatehouse.client()) {
      c.send(request);
      RawResponse r = c.readResponse();
      assertGatehouseBlock(r, 400, "bad_request");
      assertThat(c.isClosedByPeer()).as("connection closed after %s", name).isTrue();
    }
    assertThat(upstream.requests()).as("forwarded: %s", upstream.received()).isZero();
  }

  @Test
  void randomGarbage_closedWithoutCrash() {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    for (byte[] input :
        List.of(
            junk,
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00},
            "GET\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "GET http://origin.test:1/ HTTP/9.9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) {
      try (RawClient c = gatehouse.client()) {
        c.send(input);
        RawResponse r = readIfAny(c);
        if (r != null) {
          assertThat(r.status()).as(r.toString()).isIn(400, 505);
        }
        assertThat(c.isClosedByPeer()).isTrue();
      }
    }
    assertThat(upstream.requests()).isZero();
  }

  @Test
  void oversizedHeaders_is431AndClosed() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "GET http://"
              + origin()
              + "/echo HTTP/1.1\r\nHost: "
              + origin()
              + "\r\nX-Big: "
              + "a".repeat(20_000)
              + "\r\n\r\n");
      RawResponse r = c.readResponse();
      assertGatehouseBlock(r, 431, "bad_request");
      assertThat(c.isClosedByPeer()).isTrue();
    }
    try (RawClient c = gatehouse.client()) {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        many.append("X-Many-").append(i).append(": ").append("b".repeat(60)).append("\r\n");
      }
      c.send(
          "GET http://"
              + origin()
              + "/echo HTTP/1.1\r\nHost: "
              + origin()
              + "\r\n"
              + many
              + "\r\n");
      assertThat(c.readResponse().status()).isEqualTo(431);
      assertThat(c.isClosedByPeer()).isTrue();
    }
    assertThat(upstream.requests()).isZero();
  }

  @Test
  void oversizedRequestLine_refusedAndClosed() {
    try (RawClient c = gatehouse.client()) {
      c.send(
          "GET http://"
              + origin()
              + "/"
              + "p".repeat(70_000)
              + " HTTP/1.1\r\nHost: "
              + origin()
              + "\r\n\r\n");
      RawResponse r = readIfAny(c);
      if (r != null) {
        assertThat(r.status()).as(r.toString()).isIn(400, 414, 431);
      }
      assertThat(c.isClosedByPeer()).isTrue();
    }
    assertThat(upstream.requests()).isZero();
  }

  /** A few connections dribbling header bytes; bounded to 16 connections and about 1.5 s. */
  @Test
  void slowLoris_doesNotStarveNormalClient() throws Exception {
    int lorises = 16;
    List<RawClient> slow = new ArrayList<>();
    ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < lorises; i++) {
        RawClient c = gatehouse.client();
        slow.add(c);
        c.send(
            "GET http://" + origin() + "/echo/loris HTTP/1.1\r\nHost: " + origin() + "\r\nX-L: ");
      }
      dribbler.scheduleAtFixedRate(
          () -> {
            for (RawClient c : slow) {
              try {
                c.send("a");
              } catch (UncheckedIOException closedByProxy) {
                // the proxy may cut slow clients off: that is fine
              }
            }
          },
          50,
          50,
          TimeUnit.MILLISECONDS);

      for (int i = 0; i < 10; i++) {
        try (RawClient normal = gatehouse.client()) {
          normal.send(
              "GET http://"
                  + origin()
                  + "/echo/normal-"
                  + i
                  + " HTTP/1.1\r\nHost: "
                  + origin()
                  + "\r\n\r\n");
          RawResponse r = normal.readResponse();
          assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        Thread.sleep(100); // paces the normal client while the lorises dribble (not a timeout wait)
      }
    } finally {
      dribbler.shutdownNow();
      dribbler.awaitTermination(2, TimeUnit.SECONDS);
      slow.forEach(RawClient::close);
    }
    assertThat(upstream.received()).noneMatch(r -> r.uri().contains("loris"));
  }

  /** Whatever a test sent, the proxy goes on serving a normal client. */
  @AfterEach
  void proxyStillServes() {
    assertStillServing();
  }

  private static void assertStillServing() {
    try (RawClient c = gatehouse.client()) {
      RawResponse r = c.get(origin(), "/echo/alive");
      assertThat(r.status()).as("proxy still serving: %s", r).isEqualTo(200);
    }
  }

  /** The response if the proxy sent one before closing, else null. */
  private static RawResponse readIfAny(RawClient c) {
    try {
      return c.readResponse();
    } catch (UncheckedIOException closedWithoutResponse) {
      return null;
    }
  }
}
