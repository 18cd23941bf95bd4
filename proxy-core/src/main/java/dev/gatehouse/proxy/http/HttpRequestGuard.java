package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.pipeline.Exchange;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * The first look at every decoded request (STYLE habit 9): a decoding failure, a request that could
 * be framed two ways (RFC 9112 §6.3, §11.2: request smuggling) or one with headers too large is
 * answered 400 (431) and the connection closed. Nothing malformed reaches a later stage.
 */
public final class HttpRequestGuard extends ChannelInboundHandlerAdapter {

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject obj)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Exchange ex = Exchange.current(ctx.channel());
    if (ex == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    DecoderResult result = obj.decoderResult();
    if (result.isFailure()) {
      ReferenceCountUtil.release(msg);
      if (msg instanceof HttpRequest) {
        reject(ctx, ex, result.cause());
      } else {
        // a broken body: the request head may already be upstream, so only closing is safe
        ex.decision(ex.refusedDecision(Reason.BAD_REQUEST));
        ctx.close();
      }
      return;
    }
    if (msg instanceof HttpRequest request) {
      String problem = framingProblem(request);
      if (problem != null) {
        ReferenceCountUtil.release(msg);
        ex.refuseAndClose(ctx, 400, ex.refusedDecision(Reason.BAD_REQUEST), problem);
        return;
      }
    } else if (!(msg instanceof HttpContent)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static void reject(ChannelHandlerContext ctx, Exchange ex, Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      ex.refuseAndClose(
          ctx,
          431,
          ex.refusedDecision(Reason.BAD_REQUEST),
          "limit " + ex.context().limits().maxHeaderBytes() + " bytes");
    } else if (cause instanceof TooLongFrameException) {
      ex.refuseAndClose(ctx, 400, ex.refusedDecision(Reason.BAD_REQUEST), "request line too long");
    } else {
      ex.refuseAndClose(
          ctx, 400, ex.refusedDecision(Reason.BAD_REQUEST), "malformed HTTP: " + describe(cause));
    }
  }

  private static String describe(Throwable cause) {
    String m = cause == null ? null : cause.getMessage();
    if (m == null || m.isEmpty()) {
      return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }
    return RequestTarget.clip(m).replace("\"", "");
  }

  /** Why the request's framing is ambiguous or unsupported, or null when it is sound. */
  static String framingProblem(HttpRequest request) {
    HttpVersion v = request.protocolVersion();
    if (v.majorVersion() != 1 || v.minorVersion() > 1) {
      return "HTTP version " + v.text() + " is not supported";
    }
    HttpHeaders h = request.headers();
    List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (!te.isEmpty()) {
      if (!cl.isEmpty()) {
        return "both Content-Length and Transfer-Encoding are present";
      }
      if (v.minorVersion() == 0) {
        return "Transfer-Encoding in an HTTP/1.0 request";
      }
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        return "Transfer-Encoding must be exactly chunked";
      }
    }
    if (cl.size() > 1) {
      return "repeated Content-Length";
    }
    if (cl.size() == 1 && !isDigits(cl.get(0))) {
      return "invalid Content-Length";
    }
    if (h.getAll(HttpHeaderNames.HOST).size() > 1) {
      return "repeated Host header";
    }
    if (HttpMethod.CONNECT.equals(request.method())
        && (!te.isEmpty() || (cl.size() == 1 && !cl.get(0).equals("0")))) {
      return "a CONNECT request cannot have a body";
    }
    return null;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
