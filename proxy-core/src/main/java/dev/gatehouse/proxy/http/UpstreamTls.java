package dev.gatehouse.proxy.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/**
 * How a forwarded request's upstream connection is secured: {@link #PLAINTEXT} for plain HTTP and
 * plain HTTP inside tunnels; the {@code tls} package supplies one for intercepted tunnels (SNI,
 * certificate and host name verification against the system trust store or {@code
 * tls.upstream_ca}).
 */
public interface UpstreamTls {

  /**
   * Secures a freshly connected upstream channel for {@code host}: adds the client TLS handler at
   * the front of its pipeline and returns the handshake's outcome (a failure is answered 502 with
   * reason {@code upstream_error} and the cause in the message).
   */
  Future<Channel> secure(Channel channel, String host, int port);

  /** True for {@link #PLAINTEXT}: pooled connections are kept apart by this. */
  default boolean isPlaintext() {
    return false;
  }

  UpstreamTls PLAINTEXT =
      new UpstreamTls() {
        @Override
        public Future<Channel> secure(Channel channel, String host, int port) {
          return channel.eventLoop().newSucceededFuture(channel);
        }

        @Override
        public boolean isPlaintext() {
          return true;
        }
      };
}
