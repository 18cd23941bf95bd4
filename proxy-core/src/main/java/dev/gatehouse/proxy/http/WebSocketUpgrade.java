package dev.gatehouse.proxy.http;

import dev.gatehouse.proxy.tunnel.Relay;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * WebSocket upgrades through the forward stage (SPEC §3: they pass through under the same rules):
 * the upgrade request is decided like any GET, its {@code Upgrade} survives the hop-by-hop removal,
 * and after the upstream's {@code 101} both connections become a byte relay.
 */
final class WebSocketUpgrade {
  private WebSocketUpgrade() {}

  /** A bodiless GET asking for {@code Upgrade: websocket}. */
  static boolean requested(HttpRequest req, boolean bodyExpected) {
    return HttpMethod.GET.equals(req.method())
        && !bodyExpected
        && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  /** Puts the upgrade back after the hop-by-hop headers were removed. */
  static void restoreUpgrade(HttpHeaders h) {
    h.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
  }

  /** The 101 for the client, from the upstream's. */
  static FullHttpResponse switching(HttpResponse upstream101) {
    HopByHop.stripResponse(upstream101.headers());
    FullHttpResponse switched =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    switched.headers().set(upstream101.headers());
    restoreUpgrade(switched.headers());
    return switched;
  }

  /**
   * After the 101's end: the client side drops its HTTP stages first (a client sends frames only
   * once it has the 101, so nothing is buffered there), then the upstream side, whose codec hands
   * any frames that came with the 101 to the relay.
   *
   * @param upstream the upstream connection's pipeline: its {@code codec} and {@code upstream}
   *     handlers go
   */
  static void relay(ChannelPipeline client, ChannelPipeline upstream) {
    String codec = client.context(ProxyServerCodec.class).name();
    List<String> after = new ArrayList<>();
    boolean seen = false;
    for (String name : client.names()) {
      if (seen && client.get(name) != null) {
        after.add(name);
      }
      seen |= name.equals(codec);
    }
    for (String name : after) {
      client.remove(name); // the forward stage among them
    }
    client.remove(codec);
    upstream.remove("upstream");
    Relay.link(client, upstream);
    upstream.remove("codec"); // bytes the server sent with the 101 go to the relay now
  }
}
