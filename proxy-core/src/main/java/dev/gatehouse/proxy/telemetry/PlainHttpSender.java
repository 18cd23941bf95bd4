package dev.gatehouse.proxy.telemetry;

import dev.gatehouse.proxy.telemetry.CollectorConnection.Response;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An OTLP/HTTP sender for a plain {@code http://} collector: one persistent HTTP/1.1 connection
 * ({@link CollectorConnection}), each request sent from one direct buffer with one gathering write,
 * on the calling thread (the span export thread). It honours what autoconfigure sets from {@code
 * OTEL_EXPORTER_OTLP_*} as the SDK's OkHttp sender does: endpoint, headers, the timeout (one
 * deadline for the whole call, retries included), the connect timeout, and the retry policy
 * (statuses 429, 502, 503 and 504 and the SDK's retryable I/O errors, with the same backoff and
 * jitter). A request that fails on a kept-alive connection before any response arrives is sent once
 * more on a new one (the collector may have closed it while idle), as OkHttp does. {@link
 * #supports} keeps every other setting (TLS, compression, a proxy) with OkHttp.
 *
 * <p>Issue 5: OkHttp took 0.8-1.0 µs of CPU per span to send 2048-span requests, and its code, run
 * once per export, was still being compiled after 20 s of load; this sender takes about 0.3
 * (BENCHMARKS.md, session 7).
 */
final class PlainHttpSender implements HttpSender {
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

  /** Headers this sender writes itself; a configured one of these names is not sent twice. */
  private static final Set<String> OWN_HEADERS =
      Set.of("host", "content-type", "content-length", "transfer-encoding", "connection");

  private static final int INITIAL_BODY_BYTES = 2 << 20; // a default batch of 2048 call spans

  private final String host;
  private final int port;
  private final String fixedHead; // the request line and the headers that never change
  private final Supplier<Map<String, List<String>>> headers;
  private final long timeoutNanos;
  private final long connectTimeoutNanos;
  private final RetryPolicy retry; // null: one attempt
  private final Predicate<IOException> retryableError;
  private final long maxResponseBody;

  private final StringBuilder headText = new StringBuilder(512);
  private ByteBuffer body = ByteBuffer.allocateDirect(INITIAL_BODY_BYTES);
  private volatile CollectorConnection connection; // null: not connected
  private volatile boolean shutdown;

  PlainHttpSender(HttpSenderConfig config) {
    if (!supports(config)) {
      throw new IllegalArgumentException("not a plain http sender config: " + config);
    }
    URI endpoint = config.getEndpoint();
    this.host = endpoint.getHost();
    this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    String target =
        endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
            ? "/"
            : endpoint.getRawPath();
    if (endpoint.getRawQuery() != null) {
      target += "?" + endpoint.getRawQuery();
    }
    String hostHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    if (endpoint.getPort() >= 0) {
      hostHeader += ":" + port;
    }
    this.fixedHead =
        "POST "
            + target
            + " HTTP/1.1\r\nHost: "
            + hostHeader
            + "\r\nContent-Type: "
            + checkedValue(config.getContentType())
            + "\r\n";
    this.headers = config.getHeadersSupplier();
    this.timeoutNanos =
        config.getTimeout().isZero() ? Long.MAX_VALUE : config.getTimeout().toNanos();
    this.connectTimeoutNanos =
        config.getConnectTimeout().isZero() ? Long.MAX_VALUE : config.getConnectTimeout().toNanos();
    this.retry = config.getRetryPolicy();
    this.retryableError =
        retry != null && retry.getRetryExceptionPredicate() != null
            ? retry.getRetryExceptionPredicate()
            : PlainHttpSender::isRetryableError;
    this.maxResponseBody = config.getMaxResponseBodySize();
  }

  /**
   * True when this sender can honour every setting of {@code config}: an {@code http} endpoint with
   * a host, no compression, no proxy and no executor of the caller's.
   */
  static boolean supports(HttpSenderConfig config) {
    URI endpoint = config.getEndpoint();
    return endpoint != null
        && "http".equalsIgnoreCase(endpoint.getScheme())
        && endpoint.getHost() != null
        && config.getCompressor() == null
        && config.getProxyOptions() == null
        && config.getExecutorService() == null;
  }

  @Override
  public void send(
      MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    HttpResponse result;
    try {
      synchronized (this) {
        result = sendWithRetries(message);
      }
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    onResponse.accept(result);
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    CollectorConnection c = connection;
    if (c != null) {
      c.abort(); // a send waiting on the collector fails now
    }
    synchronized (this) {
      disconnect();
    }
    return CompletableResultCode.ofSuccess();
  }

  private Response sendWithRetries(MessageWriter message) throws IOException {
    long deadline = deadline(System.nanoTime(), timeoutNanos);
    ByteBuffer head = prepare(message);
    long backoff = retry == null ? 0 : retry.getInitialBackoff().toNanos();
    for (int attempt = 1; ; attempt++) {
      Response response = null;
      IOException error = null;
      try {
        response = exchange(head.duplicate(), body.duplicate().flip(), deadline);
      } catch (IOException e) {
        error = e;
      }
      boolean retryable =
          error != null
              ? retryableError.test(error)
              : RETRYABLE_STATUSES.contains(response.status());
      if (!retryable || retry == null || attempt >= retry.getMaxAttempts() || shutdown) {
        if (error != null) {
          throw error;
        }
        return response;
      }
      long bound = Math.min(backoff, retry.getMaxBackoff().toNanos());
      long sleep = (long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * bound);
      backoff = (long) (bound * retry.getBackoffMultiplier());
      if (deadline - System.nanoTime() <= sleep) {
        if (error != null) {
          throw error; // no time left for another attempt
        }
        return response;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("OTLP export interrupted while backing off", e);
      }
    }
  }

  /**
   * Writes {@code message} into {@link #body} (ready to be flipped) and returns the request head
   * for it, headers checked.
   */
  private ByteBuffer prepare(MessageWriter message) throws IOException {
    int length = message.getContentLength();
    if (length < 0) {
      throw new IllegalArgumentException("OTLP request without a content length");
    }
    if (body.capacity() < length) {
      body = ByteBuffer.allocateDirect(Math.max(length, body.capacity() * 2));
    }
    body.clear();
    message.writeMessage(new BufferOutput(body));
    if (body.position() != length) {
      throw new IllegalStateException(
          "OTLP request body was " + body.position() + " bytes, announced as " + length);
    }
    StringBuilder h = headText;
    h.setLength(0);
    h.append(fixedHead);
    for (Map.Entry<String, List<String>> e : headers.get().entrySet()) {
      String name = e.getKey();
      if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      checkedName(name);
      for (String value : e.getValue()) {
        h.append(name).append(": ").append(checkedValue(value)).append("\r\n");
      }
    }
    h.append("Content-Length: ").append(length).append("\r\n\r\n");
    return ByteBuffer.wrap(h.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * One request and its response, on the kept-alive connection or a new one. A kept-alive
   * connection that fails before any response byte arrives (the collector closed it while idle) is
   * replaced once, and the request sent again.
   */
  private Response exchange(ByteBuffer head, ByteBuffer requestBody, long deadline)
      throws IOException {
    boolean reused = connection != null;
    try {
      if (!reused) {
        connect(deadline);
      }
      Response r = connection.exchange(head, requestBody, deadline, maxResponseBody);
      if (r.close()) {
        disconnect();
      }
      return r;
    } catch (IOException e) {
      boolean answered = connection != null && connection.answered();
      disconnect();
      if (!reused || answered || e instanceof SocketTimeoutException || shutdown) {
        throw e;
      }
    } catch (RuntimeException e) {
      disconnect();
      throw e;
    }
    head.rewind();
    requestBody.rewind();
    return exchange(head, requestBody, deadline);
  }

  private void connect(long deadline) throws IOException {
    if (shutdown) {
      throw new IOException("OTLP sender shut down");
    }
    long connectDeadline = Math.min(deadline, deadline(System.nanoTime(), connectTimeoutNanos));
    connection = CollectorConnection.open(host, port, connectDeadline);
    if (shutdown) {
      connection.abort(); // shut down while connecting: the exchange fails at once
    }
  }

  private void disconnect() {
    CollectorConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
  }

  private static long deadline(long now, long timeout) {
    return timeout >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout;
  }

  /** The SDK's default: an I/O error that a later attempt may not meet. */
  static boolean isRetryableError(IOException e) {
    return e instanceof SocketTimeoutException
        || e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof SocketException;
  }

  private static void checkedName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty OTLP header name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == ':') {
        throw new IllegalArgumentException("OTLP header name with a forbidden character");
      }
    }
  }

  /** A header value, refused if it could end the header or the head (no value is logged). */
  private static String checkedValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalArgumentException("OTLP header value with a forbidden character");
      }
    }
    return value;
  }

  /** Writes into a direct buffer that is already big enough for the announced length. */
  private static final class BufferOutput extends OutputStream {
    private final ByteBuffer buffer;

    BufferOutput(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensure(len);
      buffer.put(b, off, len);
    }

    private void ensure(int n) throws IOException {
      if (buffer.remaining() < n) {
        throw new IOException("OTLP request body longer than its announced length");
      }
    }
  }
}
