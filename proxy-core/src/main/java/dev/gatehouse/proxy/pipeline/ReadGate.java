package dev.gatehouse.proxy.pipeline;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Pauses a channel's reads for one or more reasons at once (queued pipelined requests, an upstream
 * connection being set up, an upstream that cannot take more bytes); reads resume when no reason is
 * left. Event-loop confined.
 */
public final class ReadGate {
  /** Pipelined requests are queued behind the current exchange. */
  public static final int PIPELINE = 1;

  /** The request is waiting for DNS or an upstream connection. */
  public static final int CONNECTING = 2;

  /** The peer's outbound buffer is full (backpressure). */
  public static final int PEER_FULL = 4;

  private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf("gatehouse.readGate");

  private int reasons;

  private ReadGate() {}

  private static ReadGate of(Channel channel) {
    ReadGate g = channel.attr(KEY).get();
    if (g == null) {
      g = new ReadGate();
      channel.attr(KEY).set(g);
    }
    return g;
  }

  public static void pause(Channel channel, int reason) {
    ReadGate g = of(channel);
    if (g.reasons == 0) {
      channel.config().setAutoRead(false);
    }
    g.reasons |= reason;
  }

  public static void resume(Channel channel, int reason) {
    ReadGate g = of(channel);
    if (g.reasons == 0) {
      return;
    }
    g.reasons &= ~reason;
    if (g.reasons == 0) {
      channel.config().setAutoRead(true);
    }
  }
}
