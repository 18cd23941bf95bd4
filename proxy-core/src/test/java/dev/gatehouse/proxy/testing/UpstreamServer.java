package dev.gatehouse.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin server for socket tests: HTTP/1.1 (optionally TLS) on 127.0.0.1, port 0.
 *
 * <p>Register with {@code @RegisterExtension}: as a static field it runs for the class and its mode
 * and counters are reset before each test; as an instance field it runs per test. It can also be
 * used directly ({@link #start()}, {@link #close()}).
 *
 * <p>Routes (any method; the query string is ignored except where said):
 *
 * <ul>
 *   <li>{@code /echo...} — 200, body: {@code METHOD uri} then each received header line, a blank
 *       line and the received body;
 *   <li>{@code /bytes/N} — N bytes with a Content-Length; {@code /chunked/N} — N bytes chunked;
 *   <li>{@code /status/CODE} — that status;
 *   <li>{@code /forge-headers} — 200 carrying {@code Gatehouse-*} headers a proxy must strip;
 *   <li>{@code /slow...}, {@code /reset...} — as in {@link Mode#SLOW} / {@link Mode#RESET} whatever
 *       the mode;
 *   <li>a prefix given to {@link #serveDirectory} — static files (git's dumb HTTP protocol);
 *   <li>anything else — 200 {@code ok}.
 * </ul>
 *
 * Every response carries {@code X-Upstream: <name>} so a test can tell which origin answered.
 */
public final class UpstreamServer extends ClassOrTestResource {

  /** How the server answers requests outside {@code /slow} and {@code /reset}. */
  public enum Mode {
    /** Answer at once. */
    OK,
    /** Hold the response headers for {@link #slowDelay} (or until {@link #releaseSlow()}). */
    SLOW,
    /** Read the request, then close with a TCP RST (SO_LINGER 0). */
    RESET
  }

  public static final String NAME_HEADER = "X-Upstream";

  private final String name;
  private final List<String> tlsNames;
  private final Map<String, Path> directories = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();
  private final Set<Runnable> heldResponses = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.OK;
  private volatile Duration slowDelay = Duration.ofSeconds(30);

  private EventLoopGroup group;
  private Channel serverChannel;
  private Path tempDir;
  private TestCertificates certificates;

  private UpstreamServer(String name, List<String> tlsNames) {
    this.name = name;
    this.tlsNames = List.copyOf(tlsNames);
  }

  /** A plain HTTP origin. */
  public static UpstreamServer http() {
    return new UpstreamServer("http", List.of());
  }

  /** A TLS origin with a certificate (from a test CA) for {@code dnsNames}. */
  public static UpstreamServer tls(String... dnsNames) {
    if (dnsNames.length == 0) {
      throw new IllegalArgumentException("a TLS upstream needs at least one DNS name");
    }
    return new UpstreamServer("tls", List.of(dnsNames));
  }

  /** Serves files below {@code dir} at {@code /prefix/...} (GET and HEAD). */
  public UpstreamServer serveDirectory(String prefix, Path dir) {
    String p = prefix.startsWith("/") ? prefix : "/" + prefix;
    directories.put(p.endsWith("/") ? p : p + "/", dir.toAbsolutePath().normalize());
    return this;
  }

  // ---- lifecycle ----

  @Override
  boolean running() {
    return serverChannel != null;
  }

  @Override
  void betweenTests() {
    reset();
  }

  @Override
  void afterTest() {
    releaseSlow();
  }

  /** Binds 127.0.0.1:0 (idempotent). */
  @Override
  public synchronized UpstreamServer start() {
    if (serverChannel != null) {
      return this;
    }
    try {
      tempDir = Files.createTempDirectory("gatehouse-upstream");
      SslContext ssl = null;
      if (!tlsNames.isEmpty()) {
        certificates = TestCertificates.create(tempDir, tlsNames);
        ssl =
            SslContextBuilder.forServer(
                    certificates.leafKey(), certificates.leaf(), certificates.ca())
                .build();
      }
      SslContext sslContext = ssl;
      group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      serverChannel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      connections.incrementAndGet();
                      ChannelPipeline p = ch.pipeline();
                      if (sslContext != null) {
                        p.addLast(sslContext.newHandler(ch.alloc()));
                      }
                      p.addLast(new HttpServerCodec());
                      p.addLast(new HttpServerExpectContinueHandler());
                      p.addLast(new HttpObjectAggregator(16 * 1024 * 1024));
                      p.addLast(new Handler());
                    }
                  })
              .bind(InetAddress.getLoopbackAddress(), 0)
              .syncUninterruptibly()
              .channel();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server; held SLOW responses are dropped. */
  @Override
  public synchronized void close() {
    if (serverChannel == null) {
      return;
    }
    heldResponses.clear();
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    serverChannel = null;
    deleteQuietly(tempDir);
  }

  /** Back to mode OK with zeroed counters and no recorded requests. */
  public void reset() {
    releaseSlow();
    mode = Mode.OK;
    slowDelay = Duration.ofSeconds(30);
    connections.set(0);
    requests.set(0);
    received.clear();
  }

  // ---- configuration and observation ----

  public UpstreamServer mode(Mode newMode) {
    this.mode = newMode;
    return this;
  }

  public Mode mode() {
    return mode;
  }

  /** How long SLOW holds the response headers (default 30 s: longer than any test timeout). */
  public UpstreamServer slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  /** How many responses SLOW is holding now. */
  public int heldCount() {
    return heldResponses.size();
  }

  /**
   * Waits (bounded, polling every 10 ms) until SLOW holds at least {@code count} responses: call it
   * before {@link #releaseSlow()} when the request may still be on its way through the proxy.
   */
  public boolean awaitHeld(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (heldResponses.size() < count) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Sends every response that SLOW is holding now. */
  public void releaseSlow() {
    for (Runnable r : List.copyOf(heldResponses)) {
      if (heldResponses.remove(r)) {
        r.run();
      }
    }
  }

  public int port() {
    return address().getPort();
  }

  public InetSocketAddress address() {
    if (serverChannel == null) {
      throw new IllegalStateException("upstream not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public boolean isTls() {
    return !tlsNames.isEmpty();
  }

  /** The certificates of a TLS upstream. */
  public TestCertificates certificates() {
    if (certificates == null) {
      throw new IllegalStateException("not a started TLS upstream");
    }
    return certificates;
  }

  /** PEM of the CA that signed this upstream's certificate: what clients must trust. */
  public Path caPem() {
    return certificates().caPem();
  }

  /** TCP connections accepted since start or the last {@link #reset()}. */
  public int connections() {
    return connections.get();
  }

  /** Complete requests received since start or the last {@link #reset()}. */
  public int requests() {
    return requests.get();
  }

  /** Every request received, in arrival order. */
  public List<RecordedRequest> received() {
    return List.copyOf(received);
  }

  /** The last request received; fails when there was none. */
  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = received();
    if (all.isEmpty()) {
      throw new AssertionError("upstream received no request");
    }
    return all.get(all.size() - 1);
  }

  @Override
  public String toString() {
    return "UpstreamServer[" + name + (serverChannel == null ? "" : " " + address()) + "]";
  }

  // ---- request handling ----

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (!request.decoderResult().isSuccess()) {
        ctx.close();
        return;
      }
      requests.incrementAndGet();
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      request.headers().forEach(headers::add);
      received.add(
          new RecordedRequest(
              request.method().name(),
              request.uri(),
              headers,
              ByteBufUtil.getBytes(request.content()),
              (InetSocketAddress) ctx.channel().remoteAddress()));

      String path = pathOf(request.uri());
      Mode effective =
          path.startsWith("/reset") ? Mode.RESET : path.startsWith("/slow") ? Mode.SLOW : mode;
      switch (effective) {
        case RESET -> {
          ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
          ctx.close();
        }
        case SLOW -> hold(ctx, request.retainedDuplicate());
        case OK -> respond(ctx, request);
      }
    }

    private void hold(ChannelHandlerContext ctx, FullHttpRequest request) {
      Runnable[] self = new Runnable[1];
      ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
      self[0] =
          () -> {
            if (timer[0] != null) {
              timer[0].cancel(false);
            }
            ctx.executor()
                .execute(
                    () -> {
                      try {
                        if (ctx.channel().isActive()) {
                          respond(ctx, request);
                        }
                      } finally {
                        request.release();
                      }
                    });
          };
      heldResponses.add(self[0]);
      timer[0] =
          ctx.executor()
              .schedule(
                  () -> {
                    if (heldResponses.remove(self[0])) {
                      self[0].run();
                    }
                  },
                  slowDelay.toMillis(),
                  TimeUnit.MILLISECONDS);
      ctx.channel()
          .closeFuture()
          .addListener(
              f -> {
                if (heldResponses.remove(self[0])) {
                  timer[0].cancel(false);
                  request.release();
                }
              });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // a proxy hanging up mid-request is normal in these tests
    }
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = pathOf(request.uri());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);

    if (path.startsWith("/chunked/")) {
      int size = parseSize(path.substring("/chunked/".length()));
      HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
      response.headers().set(NAME_HEADER, name);
      ctx.write(response);
      if (!head) {
        for (int sent = 0; sent < size; ) {
          int n = Math.min(1024, size - sent);
          ctx.write(new DefaultHttpContent(pattern(sent, n)));
          sent += n;
        }
      }
      finish(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
      return;
    }

    HttpResponseStatus status = HttpResponseStatus.OK;
    ByteBuf body;
    String contentType = "text/plain; charset=utf-8";
    List<Map.Entry<String, String>> extra = new ArrayList<>();
    Map.Entry<String, Path> dir = directoryFor(path);
    if (dir != null) {
      Path file = dir.getValue().resolve(path.substring(dir.getKey().length())).normalize();
      if (file.startsWith(dir.getValue()) && Files.isRegularFile(file)) {
        try {
          body = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        } catch (IOException e) {
          status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
          body = text(e.toString());
        }
        contentType = "application/octet-stream";
      } else {
        status = HttpResponseStatus.NOT_FOUND;
        body = text("not found\n");
      }
    } else if (path.startsWith("/echo")) {
      StringBuilder sb = new StringBuilder();
      sb.append(request.method().name()).append(' ').append(request.uri()).append('\n');
      request
          .headers()
          .forEach(h -> sb.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
      sb.append('\n');
      body = Unpooled.wrappedBuffer(text(sb.toString()), request.content().retain());
    } else if (path.startsWith("/bytes/")) {
      int size = parseSize(path.substring("/bytes/".length()));
      body = pattern(0, size);
      contentType = "application/octet-stream";
    } else if (path.startsWith("/status/")) {
      status = HttpResponseStatus.valueOf(parseSize(path.substring("/status/".length())));
      body = text("status " + status.code() + "\n");
    } else if (path.startsWith("/forge-headers")) {
      extra.add(Map.entry("Gatehouse-Decision", "allow"));
      extra.add(Map.entry("Gatehouse-Rule", "forged-by-upstream"));
      extra.add(Map.entry("Gatehouse-Reason", "rule_allow"));
      extra.add(Map.entry("Gatehouse-Request-Id", "forged"));
      extra.add(Map.entry("gatehouse-approval-id", "forged"));
      body = text("forged\n");
    } else {
      body = text("ok\n");
    }

    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    response.headers().set(NAME_HEADER, name);
    extra.forEach(e -> response.headers().add(e.getKey(), e.getValue()));
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    finish(ctx.writeAndFlush(response), keepAlive);
  }

  private static void finish(io.netty.channel.ChannelFuture write, boolean keepAlive) {
    if (!keepAlive) {
      write.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private Map.Entry<String, Path> directoryFor(String path) {
    for (Map.Entry<String, Path> e : directories.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return e;
      }
    }
    return null;
  }

  private static String pathOf(String uri) {
    String p = uri;
    if (p.startsWith("http://") || p.startsWith("https://")) {
      int slash = p.indexOf('/', p.indexOf("//") + 2);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  private static int parseSize(String s) {
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  /** Deterministic bytes ('a'..'z' by offset) so a test can check what arrived. */
  private static ByteBuf pattern(int offset, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + (offset + i) % 26);
    }
    return Unpooled.wrappedBuffer(b);
  }

  /** The bytes {@code /bytes/N} and {@code /chunked/N} send. */
  public static byte[] expectedBytes(int n) {
    return ByteBufUtil.getBytes(pattern(0, n));
  }

  static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort: a temp dir
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
