package dev.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client side's HTTP/1.1 codec. Like Netty's {@code HttpServerCodec}, with four differences
 * that matter to a proxy (NETTY-NOTES):
 *
 * <ul>
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

  public ProxyServerCodec(int maxHeaderBytes) {
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
