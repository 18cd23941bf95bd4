package dev.gatehouse.proxy.http;

import dev.gatehouse.proxy.pipeline.ReadGate;
import dev.gatehouse.proxy.tunnel.RelayHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WebSocket upgrades (RFC 6455 §4) pass through under the same rules as any request (SPEC §3): the
 * upgrade request is decided on its method, path and host like every other; when allowed, its
 * {@code Upgrade}/{@code Connection} headers are forwarded, and once the origin answers {@code 101
 * Switching Protocols} both connections become a byte relay, the HTTP stages removed. Other
 * upgrades (h2c, TLS) are not forwarded: their headers are hop-by-hop.
 */
final class WebSocketUpgrade {
  private WebSocketUpgrade() {}

  /** A GET asking for {@code Upgrade: websocket} with {@code Connection: upgrade}. */
  static boolean requested(HttpRequest req) {
    HttpHeaders h = req.headers();
    return HttpMethod.GET.equals(req.method())
        && h.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
        && h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
  }

  /** After the hop-by-hop headers were stripped: ask the origin for the upgrade again. */
  static void restoreRequestHeaders(HttpRequest req) {
    req.headers().set(HttpHeaderNames.UPGRADE, "websocket");
    req.headers().set(HttpHeaderNames.CONNECTION, "Upgrade");
  }

  /** The origin agreed: {@code 101} with {@code Upgrade: websocket}. */
  static boolean accepted(HttpResponse response) {
    return response.status().code() == 101
        && response.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true);
  }

  /** The 101 as the client gets it: Upgrade and Connection kept, forged Gatehouse-* removed. */
  static void prepareResponse(HttpResponse response) {
    HttpHeaders h = response.headers();
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(HttpHeaderNames.PROXY_CONNECTION);
    h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
    h.remove(HttpHeaderNames.TE);
    h.set(HttpHeaderNames.UPGRADE, "websocket");
    h.set(HttpHeaderNames.CONNECTION, "Upgrade");
    HopByHop.stripGatehouse(h);
  }

  /**
   * Turns both connections into a relay, once the 101 (and its empty end) has been written to the
   * client: on the client side every stage after the HTTP codec goes, then the codec (bytes it
   * still holds flow to the relay); on the upstream side the HTTP handling goes, the codec passes
   * bytes through from now on. Both channels are on the same event loop.
   */
  static void switchToRelay(ChannelHandlerContext clientCtx, Channel upstream) {
    Channel client = clientCtx.channel();
    ChannelPipeline cp = client.pipeline();
    ChannelHandlerContext codec = cp.context(ProxyServerCodec.class);
    List<String> after = new ArrayList<>();
    boolean seen = false;
    for (Map.Entry<String, ChannelHandler> e : cp) {
      if (seen) {
        after.add(e.getKey());
      }
      if (codec != null && e.getValue() == codec.handler()) {
        seen = true;
      }
    }
    ReadGate.resume(client, ReadGate.PIPELINE | ReadGate.CONNECTING | ReadGate.PEER_FULL);
    ReadGate.resume(upstream, ReadGate.PEER_FULL);

    ChannelPipeline up = upstream.pipeline();
    HttpClientCodec clientCodec = up.get(HttpClientCodec.class);
    if (clientCodec != null) {
      clientCodec.prepareUpgradeFrom(up.context(clientCodec)); // encoder passes bytes through
    }
    up.replace("upstream", "ws-relay", new RelayHandler(client));
    // the decoder emits an empty LastHttpContent after the 101, then raw bytes
    up.addBefore("ws-relay", "ws-drop-http", new DropHttpObjects());

    cp.addLast("ws-relay", new RelayHandler(upstream));
    for (String name : after) {
      if (cp.get(name) != null) {
        cp.remove(name);
      }
    }
    if (codec != null && !codec.isRemoved()) {
      cp.remove(codec.handler());
    }
    client.read();
    upstream.read();
  }

  /** Drops the HTTP objects the upstream decoder still produces for the 101 itself. */
  private static final class DropHttpObjects extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    }
  }
}
