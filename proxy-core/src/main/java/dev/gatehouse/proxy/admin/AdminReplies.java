package dev.gatehouse.proxy.admin;

import dev.gatehouse.proxy.audit.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The admin API's replies: whole bodies, never cached, closing when the client asked to. */
final class AdminReplies {
  private AdminReplies() {}

  static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return res;
  }

  static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      String type,
      String body,
      boolean keepAlive) {
    write(ctx, response(status, type, body), keepAlive);
  }

  static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
    HttpUtil.setKeepAlive(res, keepAlive);
    var f = ctx.writeAndFlush(res);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** {@code s} as a JSON string literal (the audit log's escaping). */
  static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    Json.string(b, s);
    return b.toString();
  }

  static String jsonList(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(json(items.get(i)));
    }
    return b.append(']').toString();
  }
}
