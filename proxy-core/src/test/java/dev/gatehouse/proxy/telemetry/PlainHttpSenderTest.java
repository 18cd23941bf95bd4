package dev.gatehouse.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PlainHttpSender} against a scripted HTTP/1.1 server on loopback. */
class PlainHttpSenderTest {
  private static final byte[] BODY =
      "\u0000\u0001protobuf bytes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  private static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .setMaxAttempts(3)
          .setInitialBackoff(Duration.ofMillis(1))
          .setMaxBackoff(Duration.ofMillis(2))
          .build();

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void send_writesOnePostWithTheConfiguredHeadersAndBody_andHandsOverTheResponse()
      throws Exception {
    Collector collector = collector(OK);
    PlainHttpSender sender =
        sender(
            config(collector.uri("/v1/traces?tenant=a"))
                .headers(Map.of("Authorization", List.of("Bearer t"), "X-Two", List.of("a", "b"))));

    Outcome outcome = send(sender, BODY);

    assertThat(outcome.response().getStatusCode()).isEqualTo(200);
    assertThat(outcome.response().getStatusMessage()).isEqualTo("OK");
    assertThat(new String(outcome.response().getResponseBody(), StandardCharsets.UTF_8))
        .isEqualTo("ok");
    Request r = collector.requests.poll(5, TimeUnit.SECONDS);
    assertThat(r.line()).isEqualTo("POST /v1/traces?tenant=a HTTP/1.1");
    assertThat(r.headers())
        .containsEntry("host", List.of("127.0.0.1:" + collector.port()))
        .containsEntry("content-type", List.of("application/x-protobuf"))
        .containsEntry("content-length", List.of(Integer.toString(BODY.length)))
        .containsEntry("authorization", List.of("Bearer t"))
        .containsEntry("x-two", List.of("a", "b"));
    assertThat(r.body()).isEqualTo(BODY);
  }

  @Test
  void send_keepsOneConnectionForConsecutiveRequests() throws Exception {
    Collector collector = collector(OK, OK, OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")));

    for (int i = 0; i < 3; i++) {
      assertThat(send(sender, BODY).response().getStatusCode()).isEqualTo(200);
    }

    assertThat(collector.connections.get()).isEqualTo(1);
    assertThat(collector.requests).hasSize(3);
  }

  @Test
  void send_afterTheCollectorClosedTheIdleConnection_sendsAgainOnANewOne() throws Exception {
    Collector collector = collector(OK + Collector.CLOSE, OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")));
    assertThat(send(sender, BODY).response().getStatusCode()).isEqualTo(200);
    collector.awaitClosed(1);

    Outcome second = send(sender, BODY);

    assertThat(second.response().getStatusCode()).isEqualTo(200);
    assertThat(collector.connections.get()).isEqualTo(2);
    assertThat(collector.requests).hasSize(2);
  }

  @Test
  void send_retriesARetryableStatus_thenReportsTheAnswerThatEndedIt() throws Exception {
    Collector collector =
        collector("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")).retry(FAST_RETRY));

    assertThat(send(sender, BODY).response().getStatusCode()).isEqualTo(200);
    assertThat(collector.requests).hasSize(2);
  }

  @Test
  void send_stopsAfterMaxAttempts_withTheLastResponse() throws Exception {
    String busy = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 4\r\n\r\nbusy";
    Collector collector = collector(busy, busy, busy, OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")).retry(FAST_RETRY));

    Outcome outcome = send(sender, BODY);

    assertThat(outcome.response().getStatusCode()).isEqualTo(429);
    assertThat(collector.requests).hasSize(3);
  }

  @Test
  void send_doesNotRetryAClientError() throws Exception {
    Collector collector = collector("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")).retry(FAST_RETRY));

    assertThat(send(sender, BODY).response().getStatusCode()).isEqualTo(400);
    assertThat(collector.requests).hasSize(1);
  }

  @Test
  void send_readsChunkedAndCloseDelimitedResponses() throws Exception {
    Collector collector =
        collector(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n"
                + "T: t\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nConnection: close\r\n\r\nrest"
                + Collector.CLOSE,
            OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")));

    Outcome chunked = send(sender, BODY);
    Outcome delimited = send(sender, BODY);
    Outcome next = send(sender, BODY);

    assertThat(chunked.response().getResponseBody()).asString().isEqualTo("abcde");
    assertThat(delimited.response().getStatusCode()).isEqualTo(202);
    assertThat(delimited.response().getResponseBody()).asString().isEqualTo("rest");
    assertThat(next.response().getStatusCode()).isEqualTo(200);
    assertThat(collector.connections.get()).isEqualTo(2);
  }

  @Test
  void send_toAPortNobodyListensOn_failsWithAConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PlainHttpSender sender =
        sender(config(URI.create("http://127.0.0.1:" + port + "/v1/traces")).retry(FAST_RETRY));

    assertThat(send(sender, BODY).error()).isInstanceOf(ConnectException.class);
  }

  @Test
  void send_toACollectorThatNeverAnswers_failsAtTheTimeout() throws Exception {
    Collector collector = collector(Collector.HANG);
    PlainHttpSender sender =
        sender(config(collector.uri("/v1/traces")).timeout(Duration.ofMillis(200)));

    assertThat(send(sender, BODY).error()).isInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void send_whenTheCollectorHangsUpWithoutAnswering_failsRatherThanWaiting() throws Exception {
    Collector collector = collector(Collector.CLOSE);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")));

    assertThat(send(sender, BODY).error()).isInstanceOf(SocketException.class);
  }

  @Test
  void send_aHeaderValueThatWouldEndTheHead_isRefusedAndNothingIsSent() throws Exception {
    Collector collector = collector(OK);
    PlainHttpSender sender =
        sender(
            config(collector.uri("/v1/traces"))
                .headers(Map.of("X-Bad", List.of("a\r\nX-Injected: 1"))));

    Outcome outcome = send(sender, BODY);

    assertThat(outcome.error()).isInstanceOf(IllegalArgumentException.class);
    assertThat(outcome.error().getMessage()).doesNotContain("Injected");
    assertThat(collector.connections.get()).isZero();
  }

  @Test
  void send_afterShutdown_fails() throws Exception {
    Collector collector = collector(OK);
    PlainHttpSender sender = sender(config(collector.uri("/v1/traces")));
    sender.shutdown();

    assertThat(send(sender, BODY).error()).isInstanceOf(IOException.class);
    assertThat(collector.connections.get()).isZero();
  }

  @Test
  void supports_onlyPlainHttpWithoutCompressionOrProxy() {
    TestConfig http = config(URI.create("http://collector.test:4318/v1/traces"));
    assertThat(PlainHttpSender.supports(http)).isTrue();
    assertThat(PlainHttpSender.supports(config(URI.create("https://collector.test/v1/traces"))))
        .isFalse();
    assertThat(PlainHttpSender.supports(http.compressor(new Gzip()))).isFalse();
    assertThat(
            PlainHttpSender.supports(
                http.proxy(ProxyOptions.create(new InetSocketAddress("127.0.0.1", 1)))))
        .isFalse();
    assertThatThrownBy(() -> new PlainHttpSender(config(URI.create("https://x.test/"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private PlainHttpSender sender(HttpSenderConfig config) {
    PlainHttpSender sender = new PlainHttpSender(config);
    open.add(sender::shutdown);
    return sender;
  }

  private Collector collector(String... script) throws IOException {
    Collector c = new Collector(List.of(script));
    open.add(c);
    return c;
  }

  private static Outcome send(PlainHttpSender sender, byte[] body) {
    HttpResponse[] response = {null};
    Throwable[] error = {null};
    sender.send(
        new MessageWriter() {
          @Override
          public void writeMessage(OutputStream out) throws IOException {
            out.write(body);
          }

          @Override
          public int getContentLength() {
            return body.length;
          }
        },
        r -> response[0] = r,
        e -> error[0] = e);
    assertThat(response[0] == null).as("exactly one callback").isNotEqualTo(error[0] == null);
    return new Outcome(response[0], error[0]);
  }

  private static TestConfig config(URI endpoint) {
    return new TestConfig(endpoint, Map.of(), Duration.ofSeconds(10), null, null, null);
  }

  private record Outcome(HttpResponse response, Throwable error) {}

  private record Request(String line, Map<String, List<String>> headers, byte[] body) {}

  private record TestConfig(
      URI endpoint,
      Map<String, List<String>> headerMap,
      Duration timeout,
      RetryPolicy retry,
      Compressor compressor,
      ProxyOptions proxy)
      implements HttpSenderConfig {
    TestConfig headers(Map<String, List<String>> h) {
      return new TestConfig(endpoint, h, timeout, retry, compressor, proxy);
    }

    TestConfig timeout(Duration t) {
      return new TestConfig(endpoint, headerMap, t, retry, compressor, proxy);
    }

    TestConfig retry(RetryPolicy r) {
      return new TestConfig(endpoint, headerMap, timeout, r, compressor, proxy);
    }

    TestConfig compressor(Compressor c) {
      return new TestConfig(endpoint, headerMap, timeout, retry, c, proxy);
    }

    TestConfig proxy(ProxyOptions p) {
      return new TestConfig(endpoint, headerMap, timeout, retry, compressor, p);
    }

    @Override
    public URI getEndpoint() {
      return endpoint;
    }

    @Override
    public String getContentType() {
      return "application/x-protobuf";
    }

    @Override
    public Compressor getCompressor() {
      return compressor;
    }

    @Override
    public Duration getTimeout() {
      return timeout;
    }

    @Override
    public Duration getConnectTimeout() {
      return Duration.ofSeconds(10);
    }

    @Override
    public Supplier<Map<String, List<String>>> getHeadersSupplier() {
      return () -> headerMap;
    }

    @Override
    public ProxyOptions getProxyOptions() {
      return proxy;
    }

    @Override
    public RetryPolicy getRetryPolicy() {
      return retry;
    }

    @Override
    public SSLContext getSslContext() {
      return null;
    }

    @Override
    public X509TrustManager getTrustManager() {
      return null;
    }

    @Override
    public ExecutorService getExecutorService() {
      return null;
    }
  }

  private static final class Gzip implements Compressor {
    @Override
    public String getEncoding() {
      return "gzip";
    }

    @Override
    public OutputStream compress(OutputStream out) {
      return out;
    }
  }

  /**
   * Answers each request read with the next step of its script, in order across connections. A step
   * is raw response bytes; ending in {@link #CLOSE} it then closes the connection; {@link #HANG}
   * reads the request and answers nothing.
   */
  private static final class Collector implements AutoCloseable {
    static final String CLOSE = "<close>";
    static final String HANG = "<hang>";

    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final BlockingQueue<String> script;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Collector(List<String> steps) throws IOException {
      script = new LinkedBlockingQueue<>(steps);
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "test-collector");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    URI uri(String pathAndQuery) {
      return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    void awaitClosed(int n) throws InterruptedException {
      for (int i = 0; i < 500 && closed.get() < n; i++) {
        Thread.sleep(10);
      }
      assertThat(closed.get()).isGreaterThanOrEqualTo(n);
      Thread.sleep(50); // the close reaches the sender's socket
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          sockets.add(s);
          connections.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "test-collector-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        while (true) {
          Request r = read(in);
          if (r == null) {
            return;
          }
          requests.add(r);
          String step = script.poll();
          if (step == null || step.equals(HANG)) {
            Thread.sleep(Long.MAX_VALUE);
          }
          boolean close = step.endsWith(CLOSE);
          String bytes = close ? step.substring(0, step.length() - CLOSE.length()) : step;
          out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (close) {
            return;
          }
        }
      } catch (IOException | InterruptedException e) {
        // the test is over or the sender went away
      } finally {
        closed.incrementAndGet();
      }
    }

    private static Request read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      Map<String, List<String>> headers = new TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.get("content-length").get(0));
      return new Request(lines[0], headers, in.readNBytes(length));
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
