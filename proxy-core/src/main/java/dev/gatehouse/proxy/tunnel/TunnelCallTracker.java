package dev.gatehouse.proxy.tunnel;

import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.pipeline.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a tunnel's bytes on the client side and ends the tunnel's call when the client connection
 * closes: the one place a tunnel's call ends, whatever stage follows (relay, plain HTTP,
 * interception).
 */
final class TunnelCallTracker extends ChannelDuplexHandler {
  private final Exchange exchange;
  private final ProxyMetrics metrics;
  private boolean counted;

  TunnelCallTracker(Exchange exchange, ProxyMetrics metrics) {
    this.exchange = exchange;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    metrics.activeTunnels().inc();
    counted = true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      exchange.addBytesIn(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf b) {
      exchange.addBytesOut(b.readableBytes());
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ctx.fireChannelInactive(); // calls inside the tunnel end first, then the tunnel's
    finish();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    finish();
  }

  private void finish() {
    if (counted) {
      counted = false;
      metrics.activeTunnels().dec();
      exchange.end();
    }
  }
}
