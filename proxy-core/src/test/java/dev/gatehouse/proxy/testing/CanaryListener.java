package dev.gatehouse.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Listeners that must never see a connection: one port, bound on 127.0.0.2, [::1] and 127.0.0.1.
 * Test policies allow only 127.0.0.1/32, so a proxy that connects to 127.0.0.2 or ::1 (in any
 * spelling) has bypassed its address checks. The 127.0.0.1 listener catches {@code 0.0.0.0}, which
 * Linux connects to 127.0.0.1 and which {@code allow_cidrs: [127.0.0.1/32]} must not open.
 *
 * <p>Every accepted connection is recorded and closed at once. After each test the extension fails
 * the test if any connection arrived ({@link #assertNoConnections()} checks on demand). Fresh ports
 * per test when registered as an instance field.
 */
public final class CanaryListener
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AutoCloseable {

  private static final int BIND_ATTEMPTS = 20;

  private final List<String> hits = new CopyOnWriteArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private EventLoopGroup group;
  private int port;
  private boolean ipv6;
  private boolean perTest;

  public static CanaryListener create() {
    return new CanaryListener();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (group == null) {
      perTest = true;
      start();
    }
    hits.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      assertNoConnections();
    } finally {
      hits.clear();
      if (perTest) {
        close();
      }
    }
  }

  /** Binds one free port on 127.0.0.2, [::1] (when the host has IPv6 loopback) and 127.0.0.1. */
  public synchronized CanaryListener start() {
    if (group != null) {
      return this;
    }
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      closeChannels();
      try {
        Channel first = bind(new InetSocketAddress(address("127.0.0.2"), 0));
        channels.add(first);
        port = ((InetSocketAddress) first.localAddress()).getPort();
        channels.add(bind(new InetSocketAddress(address("127.0.0.1"), port)));
        try {
          channels.add(bind(new InetSocketAddress(address("::1"), port)));
          ipv6 = true;
        } catch (Exception e) {
          if (!hasIpv6Loopback()) {
            ipv6 = false; // no ::1 here: nothing can connect to it either
          } else {
            throw new IllegalStateException(e); // port taken on ::1: try another port
          }
        }
        return this;
      } catch (Exception e) {
        // port in use on one of the addresses (Netty rethrows the checked BindException as is):
        // next attempt
      }
    }
    close();
    throw new IllegalStateException("no port free on 127.0.0.2, 127.0.0.1 and ::1");
  }

  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    closeChannels();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    group = null;
  }

  /** The port every canary address listens on. */
  public int port() {
    return port;
  }

  /** False when the host has no IPv6 loopback (then [::1] forms cannot be tested). */
  public boolean hasIpv6() {
    return ipv6;
  }

  /** {@code remote -> local} of every connection accepted since the test started. */
  public List<String> hits() {
    return List.copyOf(hits);
  }

  /** Forgets recorded hits (for the fixture's own tests, which connect on purpose). */
  public void clear() {
    hits.clear();
  }

  public void assertNoConnections() {
    if (!hits.isEmpty()) {
      throw new AssertionError(
          "a canary listener was connected to (address checks bypassed): " + hits);
    }
  }

  private Channel bind(SocketAddress address) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                hits.add(ch.remoteAddress() + " -> " + ch.localAddress());
                ch.close();
              }
            })
        .bind(address)
        .syncUninterruptibly()
        .channel();
  }

  private void closeChannels() {
    for (Channel c : channels) {
      c.close().syncUninterruptibly();
    }
    channels.clear();
  }

  private static boolean hasIpv6Loopback() {
    try (var s = new ServerSocket()) {
      s.bind(new InetSocketAddress(address("::1"), 0));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
