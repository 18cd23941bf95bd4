package dev.gatehouse.proxy.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/** Joins two channels into a byte relay with backpressure and half-close ({@link RelayHandler}). */
public final class Relay {
  private Relay() {}

  /**
   * Appends a relay to each pipeline, each writing to the other channel; both channels must be on
   * one event loop. Reads start at once.
   */
  public static void link(ChannelPipeline a, ChannelPipeline b) {
    Channel ca = a.channel();
    Channel cb = b.channel();
    a.addLast("relay", new RelayHandler(cb));
    b.addLast("relay", new RelayHandler(ca));
    ca.read();
    cb.read();
  }
}
