package dev.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side's HTTP/1.1 codec. Like Netty's {@code HttpServerCodec}, with five differences
 * that matter to a proxy (NETTY-NOTES):
 *
 * <ul>
 *   <li>A request head must complete within 30 s (or the idle timeout) of its first byte: a client
 *       trickling header bytes (slow loris) cannot hold a connection by staying just short of idle.
 *   <li>A header folded onto a continuation line (obs-fold) is refused, not unfolded (RFC 9112
 *       §5.2; Netty unfolds it).
 *   <li>It stops decoding after a {@code CONNECT} request: the bytes that follow belong to the
 *       tunnel (a ClientHello sent in the same packet as the CONNECT), and stay in the decoder's
 *       buffer; removing the codec hands them to the next handler.
 *   <li>Responses are paired with requests for HEAD/CONNECT framing, skipping {@code 1xx}
 *       responses, so a forwarded {@code 100 Continue} does not shift the pairing.
 *   <li>A request with both {@code Content-Length} and {@code Transfer-Encoding} is a decoding
 *       failure (answered 400 and closed), not silently repaired (RFC 9112 §6.3, smuggling).
 * </ul>
 */
public final class ProxyServerCodec
    extends CombinedChannelDuplexHandler<ProxyServerCodec.Decoder, ProxyServerCodec.Encoder> {
  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);

  /** How long a request head may take once its first byte arrived (slow-loris bound). */
  static final long MAX_HEAD_MILLIS = 30_000;

  private final long headTimeoutMillis;

  /**
   * @param maxHeaderBytes {@code limits.max_header_bytes} (431 past it)
   * @param idleTimeoutMillis {@code limits.idle_timeout}: a request head must arrive within it, or
   *     30 s if that is shorter, however slowly its bytes trickle in
   */
  public ProxyServerCodec(int maxHeaderBytes, long idleTimeoutMillis) {
    this.headTimeoutMillis = Math.max(1, Math.min(MAX_HEAD_MILLIS, idleTimeoutMillis));
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(maxHeaderBytes)
            .setMaxChunkSize(65536)
            .setAllowDuplicateContentLengths(false)
            .setValidateHeaders(true)
            .setStrictLineParsing(true);
    init(new Decoder(config), new Encoder());
  }

  /** Request decoder that stops at a CONNECT and refuses obs-fold. */
  public final class Decoder extends HttpRequestDecoder {
    private boolean stopped;

    /** Between messages or inside a request head (not in a body). */
    private boolean inHead = true;

    /** Part of the current head was already consumed: the buffer starts at a line start. */
    private boolean headStarted;

    /** Closes the connection when a started head does not complete in time (slow loris). */
    private ScheduledFuture<?> headTimer;

    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
        throws Exception {
      if (stopped) {
        return; // tunnel bytes: left in the buffer for the stage after the CONNECT
      }
      if (inHead && hasObsFold(buffer)) {
        // RFC 9112 §5.2: reject rather than unfold, so no two parsers can disagree on it
        DefaultHttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        bad.setDecoderResult(
            DecoderResult.failure(
                new IllegalArgumentException("obsolete line folding (obs-fold) in a header")));
        buffer.skipBytes(buffer.readableBytes());
        methods.add(HttpMethod.GET);
        stopped = true;
        out.add(bad);
        return;
      }
      int start = buffer.readerIndex();
      int before = out.size();
      super.decode(ctx, buffer, out);
      for (int i = before; i < out.size(); i++) {
        Object o = out.get(i);
        if (o instanceof HttpRequest request) {
          inHead = false;
          headStarted = false;
          cancelHeadTimer();
          methods.add(request.method());
          if (HttpMethod.CONNECT.equals(request.method()) && request.decoderResult().isSuccess()) {
            stopped = true;
          }
        }
        if (o instanceof LastHttpContent) {
          inHead = true;
          headStarted = false;
        }
      }
      if (inHead && out.size() == before && buffer.readerIndex() > start) {
        headStarted = true;
      }
      if (inHead && headTimer == null && (buffer.isReadable() || headStarted)) {
        // part of a head is waiting for the rest (a whole head in one read never gets here)
        headTimer =
            ctx.executor().schedule(() -> ctx.close(), headTimeoutMillis, TimeUnit.MILLISECONDS);
      }
    }

    private void cancelHeadTimer() {
      if (headTimer != null) {
        headTimer.cancel(false);
        headTimer = null;
      }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
      cancelHeadTimer();
      super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      cancelHeadTimer();
      super.channelInactive(ctx);
    }

    /** A header line that starts with a space or tab, before the head's empty line. */
    private boolean hasObsFold(ByteBuf b) {
      int r = b.readerIndex();
      int w = b.writerIndex();
      if (r == w) {
        return false;
      }
      if (headStarted) {
        byte first = b.getByte(r);
        if (first == ' ' || first == '\t') {
          return true;
        }
      }
      for (int i = r; i < w - 1; i++) {
        if (b.getByte(i) == '\n') {
          byte next = b.getByte(i + 1);
          if (next == ' ' || next == '\t') {
            return true;
          }
          if (next == '\r' || next == '\n') {
            return false; // the end of the head: a body may follow
          }
        }
      }
      return false;
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      throw new IllegalArgumentException(
          "both Content-Length and Transfer-Encoding are present (RFC 9112 section 6.3)");
    }
  }

  /** Response encoder that pairs final responses with requests, skipping 1xx. */
  public final class Encoder extends HttpResponseEncoder {
    private HttpMethod method;

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      int code = msg.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        return true;
      }
      method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty
          && HttpMethod.CONNECT.equals(method)
          && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }
  }
}
