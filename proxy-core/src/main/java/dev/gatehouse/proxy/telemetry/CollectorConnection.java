package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection to an OTLP collector, for {@link PlainHttpSender}: a non-blocking channel
 * waited on through its own selector, so that every step keeps to the export's deadline, and a
 * reader for the collector's answers (bodies framed by Content-Length, chunked or by the end of the
 * connection; interim 1xx answers skipped). Not thread-safe, except {@link #abort}, which another
 * thread calls to end a wait.
 */
final class CollectorConnection implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer in = ByteBuffer.allocate(8 << 10); // bytes read, not yet consumed
  private volatile boolean aborted;
  private boolean answered; // a byte of the current response has arrived

  private CollectorConnection(SocketChannel channel, Selector selector) throws IOException {
    this.channel = channel;
    this.selector = selector;
    this.key = channel.register(selector, 0);
  }

  /** Connects to {@code host:port}, waiting at most until {@code deadline} (nanoTime). */
  static CollectorConnection open(String host, int port, long deadline) throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    SocketChannel channel = SocketChannel.open();
    Selector selector = null;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      selector = Selector.open();
      CollectorConnection c = new CollectorConnection(channel, selector);
      if (!channel.connect(address)) {
        c.await(SelectionKey.OP_CONNECT, deadline);
        channel.finishConnect();
      }
      return c;
    } catch (SocketTimeoutException e) {
      closeQuietly(channel, selector);
      throw new SocketTimeoutException("connect timed out: " + address);
    } catch (ConnectException e) {
      closeQuietly(channel, selector);
      throw new ConnectException(
          "cannot connect to the collector at " + address + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, selector);
      throw e;
    }
  }

  /**
   * Writes {@code head} and {@code body} and reads the final response, keeping at most {@code
   * maxBody} bytes of its body.
   */
  Response exchange(ByteBuffer head, ByteBuffer body, long deadline, long maxBody)
      throws IOException {
    answered = false;
    in.clear();
    ByteBuffer[] both = {head, body};
    while (head.hasRemaining() || body.hasRemaining()) {
      if (channel.write(both) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
    Response r;
    do {
      r = readResponse(deadline, maxBody);
    } while (r.status >= 100 && r.status < 200); // interim responses: the final one follows
    return r;
  }

  /** True when a byte of the last exchange's response arrived before it ended. */
  boolean answered() {
    return answered;
  }

  /** Ends a wait of the thread using this connection (it fails); any thread may call it. */
  void abort() {
    aborted = true;
    selector.wakeup();
  }

  @Override
  public void close() {
    closeQuietly(channel, selector);
  }

  private Response readResponse(long deadline, long maxBody) throws IOException {
    int headEnd;
    while ((headEnd = indexOf(CRLF_CRLF)) < 0) {
      if (!fill(deadline)) {
        throw new SocketException(
            answered
                ? "collector closed the connection in a response head"
                : "collector closed the connection without answering");
      }
    }
    String[] lines = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
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
    consume(headEnd + CRLF_CRLF.length);
    Body b = new Body(maxBody);
    if (code < 200 || code == 204 || code == 304) {
      // no body
    } else if (chunked) {
      readChunked(b, deadline);
    } else if (contentLength >= 0) {
      readExactly(b, contentLength, deadline);
    } else {
      do { // delimited by the end of the connection
        b.take(in, in.position());
        consume(in.position());
      } while (fill(deadline));
      close = true;
    }
    return new Response(code, status.length > 2 ? status[2] : "", b.bytes(), close);
  }

  private void readExactly(Body b, long length, long deadline) throws IOException {
    long left = length;
    while (left > 0) {
      if (in.position() == 0 && !fill(deadline)) {
        throw new IOException("collector closed the connection in a response body");
      }
      int n = (int) Math.min(left, in.position());
      b.take(in, n);
      consume(n);
      left -= n;
    }
  }

  private void readChunked(Body b, long deadline) throws IOException {
    while (true) {
      String line = readLine(deadline);
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
      if (size == 0) {
        while (!readLine(deadline).isEmpty()) {
          // trailers, up to the empty line
        }
        return;
      }
      readExactly(b, size, deadline);
      readExactly(new Body(0), 2, deadline); // the chunk's CRLF
    }
  }

  private String readLine(long deadline) throws IOException {
    int end;
    while ((end = indexOf(CRLF)) < 0) {
      if (!fill(deadline)) {
        throw new IOException("collector closed the connection in a chunked response");
      }
    }
    String line = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
    consume(end + CRLF.length);
    return line;
  }

  /** Reads more of the response; false at the end of the connection. */
  private boolean fill(long deadline) throws IOException {
    if (!in.hasRemaining()) {
      throw new IOException("OTLP response head or line over " + in.capacity() + " bytes");
    }
    while (true) {
      int n = channel.read(in);
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
    in.flip();
    in.position(n);
    in.compact();
  }

  /** Where {@code bytes} start in what has been read, or -1. */
  private int indexOf(byte[] bytes) {
    byte[] a = in.array();
    outer:
    for (int i = 0; i + bytes.length <= in.position(); i++) {
      for (int j = 0; j < bytes.length; j++) {
        if (a[i + j] != bytes[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Waits until the channel is ready for {@code op}, at most until {@code deadline}. */
  private void await(int op, long deadline) throws IOException {
    key.interestOps(op);
    try {
      while (true) {
        if (aborted) {
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

  private static void closeQuietly(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing: nothing to do about it
      }
    }
  }

  /** A collector's answer; {@code close}: the connection cannot carry another request. */
  record Response(int status, String message, byte[] body, boolean close) implements HttpResponse {
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
}
