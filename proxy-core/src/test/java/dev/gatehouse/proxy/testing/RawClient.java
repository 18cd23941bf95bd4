package dev.gatehouse.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-exact HTTP/1.1 client for the proxy's socket tests: writes exactly what the test says
 * (smuggling attempts, garbage, pipelined requests) and parses responses without normalising them.
 * Every read is bounded by a socket timeout, so a hung proxy fails the test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new java.io.BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawClient connect(InetSocketAddress address) {
    return connect(address, DEFAULT_TIMEOUT);
  }

  public static RawClient connect(InetSocketAddress address, Duration readTimeout) {
    try {
      Socket s = new Socket();
      s.connect(address, (int) DEFAULT_TIMEOUT.toMillis());
      s.setSoTimeout((int) readTimeout.toMillis());
      s.setTcpNoDelay(true);
      return new RawClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + address, e);
    }
  }

  /**
   * A raw client over an already connected socket (for example an {@code SSLSocket} layered on a
   * CONNECT tunnel); reads are bounded by {@link #DEFAULT_TIMEOUT}.
   */
  public static RawClient over(Socket socket) {
    try {
      socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
      return new RawClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} as ISO-8859-1 bytes, exactly (use {@code \r\n} yourself). */
  public RawClient send(String text) {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawClient send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code GET http://authority/path} in absolute form, as a client of a forward proxy does,
   * and reads the response.
   */
  public RawResponse get(String authority, String path) {
    send("GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    return readResponse();
  }

  /** Sends {@code CONNECT authority} and reads the answer (a refusal's body included). */
  public RawResponse connectTo(String authority) {
    send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    return readResponse();
  }

  /** Reads one response; the body by Content-Length, chunked framing, or until close. */
  public RawResponse readResponse() {
    return readResponse(false);
  }

  /** Reads one response to a HEAD or CONNECT request (no body unless framed by close). */
  public RawResponse readResponse(boolean noBody) {
    try {
      String statusLine = readLine();
      while (statusLine.isEmpty()) {
        statusLine = readLine(); // tolerate a stray CRLF between responses
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not a status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      String reason = parts.length > 2 ? parts[2] : "";
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String line = readLine();
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        headers.add(
            new AbstractMap.SimpleImmutableEntry<>(
                line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
      RawResponse head = new RawResponse(parts[0], status, reason, headers, new byte[0]);
      if (noBody || status / 100 == 1 || status == 204 || status == 304) {
        return head;
      }
      byte[] body;
      String te = head.header("Transfer-Encoding");
      String cl = head.header("Content-Length");
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        body = readChunked();
      } else if (cl != null) {
        body = in.readNBytes(Integer.parseInt(cl.trim()));
      } else {
        body = in.readAllBytes();
      }
      return new RawResponse(parts[0], status, reason, headers, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True when the peer closes (EOF or reset) within {@code timeout}; bytes that arrive first are
   * discarded (at most 1 MiB). False when the connection is still open at the deadline.
   */
  public boolean awaitClosed(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      byte[] buf = new byte[8192];
      for (int total = 0; total < 1 << 20; ) {
        int n = in.read(buf);
        if (n < 0) {
          return true;
        }
        total += n;
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by peer
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when the proxy closed after the last response (waits at most 2 s). */
  public boolean isClosedByPeer() {
    return awaitClosed(Duration.ofSeconds(2));
  }

  /**
   * True when the peer has closed (EOF or reset) within {@code timeout}; false when bytes arrive
   * (they stay readable) or the connection is still open at the deadline.
   */
  public boolean isClosedByPeerWithin(Duration timeout) {
    try {
      int previous = socket.getSoTimeout();
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      try {
        in.mark(1);
        int b = in.read();
        if (b < 0) {
          return true;
        }
        in.reset();
        return false;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException e) {
        return true;
      } finally {
        if (!socket.isClosed()) {
          socket.setSoTimeout(previous);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int i = 0; i < 65536; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed; partial line: " + line);
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    throw new IOException("line longer than 64 KiB");
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < 1_000_000; i++) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        for (int j = 0; j < 1000 && !readLine().isEmpty(); j++) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
    throw new IOException("too many chunks");
  }
}
