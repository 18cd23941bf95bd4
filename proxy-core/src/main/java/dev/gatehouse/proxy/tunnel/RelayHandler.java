package dev.gatehouse.proxy.tunnel;

import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies bytes from its channel to the peer (STYLE habit 10): reads on demand ({@code AUTO_READ}
 * off) and reads again only while the peer can take more, so a slow side slows the other instead of
 * filling memory; a FIN from one side becomes a FIN to the other (half-close), and the tunnel
 * closes when both directions are done. Both channels run on one event loop.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
  private final Channel peer;

  RelayHandler(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ChannelConfig config = ctx.channel().config();
    config.setAutoRead(false);
    config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    // with reads on demand, each read() is one recv: let it take up to 256 KiB
    config.setRecvByteBufAllocator(RECV);
  }

  private static final AdaptiveRecvByteBufAllocator RECV =
      new AdaptiveRecvByteBufAllocator(4096, 65536, 262144);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (peer.isActive()) {
      peer.write(msg, peer.voidPromise());
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
    if (peer.isWritable()) {
      ctx.read();
    }
    // else: the peer's writability change asks for the next read
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      peer.read(); // this side drained: the peer, which writes here, may read again
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      Channel self = ctx.channel();
      if (peer instanceof DuplexChannel duplexPeer && peer.isActive()) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
            .addListener(
                f -> {
                  duplexPeer.shutdownOutput();
                  if (self instanceof DuplexChannel d && d.isOutputShutdown()) {
                    closeBoth(self);
                  }
                });
      } else {
        closeBoth(self);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void closeBoth(Channel self) {
    self.close();
    peer.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeBoth(ctx.channel());
  }
}
