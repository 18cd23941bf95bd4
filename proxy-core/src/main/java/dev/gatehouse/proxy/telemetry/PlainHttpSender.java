package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * An OTLP/HTTP sender for a plain {@code http://} collector: one persistent HTTP/1.1 connection,
 * each request sent from one direct buffer with one gathering write, on the calling thread (the
 * span export thread). It honours what autoconfigure sets from {@code OTEL_EXPORTER_OTLP_*} as the
 * SDK's OkHttp sender does: endpoint, headers, the timeout (one deadline for the whole call,
 * retries included), the connect timeout, and the retry policy (statuses 429, 502, 503 and 504 and
 * the SDK's retryable I/O errors, with the same backoff and jitter). A request that fails on a
 * kept-alive connection before any response arrives is sent once more on a new one (the collector
 * may have closed it while idle), as OkHttp does. {@link #supports} keeps every other setting (TLS,
 * compression, a proxy) with OkHttp.
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
  private final ByteBuffer response = ByteBuffer.allocate(8 << 10);
  private volatile SocketChannel channel; // null: not connected
  private volatile Selector selector;
  private volatile boolean shutdown;
  private boolean answered; // a byte of the current response has arrived

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
    Selector s = selector;
    if (s != null) {
      s.wakeup(); // a send waiting on the collector sees `shutdown` and fails
    }
    synchronized (this) {
      disconnect();
      if (selector != null) {
        closeQuietly(selector);
        selector = null;
      }
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
          error != null ? retryableError.test(error) : RETRYABLE_STATUSES.contains(response.status);
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
  private Response exchange(ByteBuffer requestHead, ByteBuffer requestBody, long deadline)
      throws IOException {
    boolean reused = channel != null;
    try {
      if (!reused) {
        connect(deadline);
      }
      return exchangeOnce(requestHead, requestBody, deadline);
    } catch (IOException e) {
      disconnect();
      if (!reused || answered || e instanceof SocketTimeoutException || shutdown) {
        throw e;
      }
    } catch (RuntimeException e) {
      disconnect();
      throw e;
    }
    requestHead.rewind();
    requestBody.rewind();
    return exchange(requestHead, requestBody, deadline);
  }

  private Response exchangeOnce(ByteBuffer requestHead, ByteBuffer requestBody, long deadline)
      throws IOException {
    answered = false;
    response.clear();
    ByteBuffer[] both = {requestHead, requestBody};
    SocketChannel ch = channel;
    while (requestHead.hasRemaining() || requestBody.hasRemaining()) {
      if (ch.write(both) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
    Response r;
    do {
      r = readResponse(deadline);
    } while (r.status >= 100 && r.status < 200); // interim responses: the final one follows
    if (r.close) {
      disconnect();
    }
    return r;
  }

  private Response readResponse(long deadline) throws IOException {
    int headEnd;
    while ((headEnd = headEnd()) < 0) {
      if (!fill(deadline)) {
        throw new SocketException(
            answered
                ? "collector closed the connection in a response head"
                : "collector closed the connection without answering");
      }
    }
    String text = new String(response.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + lines[0]);
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad status line: " + lines[0], e);
    }
    long contentLength = -1;
    boolean chunked = false;
    boolean close = status[0].equals("HTTP/1.0");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "content-length" -> contentLength = parseLength(value);
        case "transfer-encoding" -> chunked = value.endsWith("chunked");
        case "connection" -> close |= value.contains("close");
        default -> {}
      }
    }
    consume(headEnd + 4);
    Body b = new Body(maxResponseBody);
    if (code < 200 || code == 204 || code == 304) {
      // no body
    } else if (chunked) {
      readChunked(b, deadline);
    } else if (contentLength >= 0) {
      readExactly(b, contentLength, deadline);
    } else {
      while (true) { // delimited by the end of the connection
        b.take(response, response.position());
        consume(response.position());
        if (!fill(deadline)) {
          break;
        }
      }
      close = true;
    }
    String message = status.length > 2 ? status[2] : "";
    return new Response(code, message, b.bytes(), close);
  }

  private void readExactly(Body b, long length, long deadline) throws IOException {
    long left = length;
    while (left > 0) {
      if (response.position() == 0 && !fill(deadline)) {
        throw new IOException("collector closed the connection in a response body");
      }
      int n = (int) Math.min(left, response.position());
      b.take(response, n);
      consume(n);
      left -= n;
    }
  }

  private void readChunked(Body b, long deadline) throws IOException {
    while (true) {
      int lineEnd;
      while ((lineEnd = indexOfCrlf(0)) < 0) {
        if (!fill(deadline)) {
          throw new IOException("collector closed the connection in a chunked response");
        }
      }
      String line = new String(response.array(), 0, lineEnd, StandardCharsets.ISO_8859_1);
      int semicolon = line.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size from the collector: " + line, e);
      }
      if (size < 0) {
        throw new IOException("bad chunk size from the collector: " + line);
      }
      consume(lineEnd + 2);
      if (size == 0) {
        // trailers, then the empty line
        while (true) {
          while ((lineEnd = indexOfCrlf(0)) < 0) {
            if (!fill(deadline)) {
              throw new IOException("collector closed the connection in a response trailer");
            }
          }
          consume(lineEnd + 2);
          if (lineEnd == 0) {
            return;
          }
        }
      }
      readExactly(b, size, deadline);
      Body none = new Body(0);
      readExactly(none, 2, deadline); // the chunk's CRLF
    }
  }

  /** Reads more of the response; false at the end of the connection. */
  private boolean fill(long deadline) throws IOException {
    if (!response.hasRemaining()) {
      throw new IOException("OTLP response head or line over " + response.capacity() + " bytes");
    }
    while (true) {
      int n = channel.read(response);
      if (n > 0) {
        answered = true;
        return true;
      }
      if (n < 0) {
        return false;
      }
      await(SelectionKey.OP_READ, deadline);
    }
  }

  /** Drops the first {@code n} bytes read. */
  private void consume(int n) {
    response.flip();
    response.position(n);
    response.compact();
  }

  private int headEnd() {
    byte[] a = response.array();
    for (int i = 0; i + 3 < response.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int indexOfCrlf(int from) {
    byte[] a = response.array();
    for (int i = from; i + 1 < response.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void connect(long deadline) throws IOException {
    if (shutdown) {
      throw new IOException("OTLP sender shut down");
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    if (selector == null) {
      selector = Selector.open();
    }
    SocketChannel ch = SocketChannel.open();
    channel = ch;
    ch.configureBlocking(false);
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ch.register(selector, 0);
    long connectDeadline = Math.min(deadline, deadline(System.nanoTime(), connectTimeoutNanos));
    try {
      if (!ch.connect(address)) {
        await(SelectionKey.OP_CONNECT, connectDeadline);
        ch.finishConnect();
      }
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException("connect timed out: " + address);
    } catch (ConnectException e) {
      throw new ConnectException(
          "cannot connect to the collector at " + address + ": " + e.getMessage());
    }
  }

  /** Waits until the channel is ready for {@code op}, at most until {@code deadline}. */
  private void await(int op, long deadline) throws IOException {
    SelectionKey key = channel.keyFor(selector);
    key.interestOps(op);
    try {
      while (true) {
        if (shutdown) {
          throw new IOException("OTLP sender shut down");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException("OTLP export timed out");
        }
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        if (selector.selectedKeys().remove(key)) {
          return;
        }
      }
    } finally {
      if (key.isValid()) {
        key.interestOps(0);
      }
    }
  }

  private void disconnect() {
    SocketChannel ch = channel;
    channel = null;
    if (ch != null) {
      closeQuietly(ch);
      Selector s = selector;
      if (s != null) {
        try {
          s.selectNow(); // lets the closed channel's key go
        } catch (IOException | RuntimeException ignored) {
          // the selector is closed or broken: the next connect opens it again if needed
        }
      }
    }
  }

  private static long deadline(long now, long timeout) {
    return timeout >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeout;
  }

  private static long parseLength(String value) throws IOException {
    try {
      long n = Long.parseLong(value);
      if (n < 0) {
        throw new NumberFormatException(value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length from the collector: " + value, e);
    }
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

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing: nothing to do about it
    }
  }

  private record Response(int status, String message, byte[] body, boolean close)
      implements HttpResponse {
    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return message;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }

  /** A response body kept up to a limit; the rest is read and dropped. */
  private static final class Body {
    private final long limit;
    private byte[] bytes = new byte[0];
    private int length;

    Body(long limit) {
      this.limit = limit;
    }

    /** Takes the first {@code n} bytes of {@code from}'s buffer (positions 0..n). */
    void take(ByteBuffer from, int n) {
      int keep = (int) Math.max(0, Math.min(n, limit - length));
      if (keep > 0) {
        if (length + keep > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.max(length + keep, bytes.length * 2));
        }
        System.arraycopy(from.array(), 0, bytes, length, keep);
        length += keep;
      }
    }

    byte[] bytes() {
      return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
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
