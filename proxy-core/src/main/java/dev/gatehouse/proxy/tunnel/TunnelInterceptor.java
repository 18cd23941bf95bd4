package dev.gatehouse.proxy.tunnel;

import io.netty.channel.ChannelPipeline;

/**
 * The seam for TLS interception (SPEC §3): a CONNECT whose decision says {@code inspect} (its
 * host's rules name methods or paths), or any CONNECT with {@code tls.intercept: always}, is handed
 * to this interceptor after {@code 200 Connection established}. The {@code tls} package implements
 * it; {@link #REFUSE}, the default, refuses such tunnels fail-closed with a 403 before the {@code
 * 200}.
 */
public interface TunnelInterceptor {

  /** False when interception cannot be done (no CA): tunnels that need it are refused with 403. */
  boolean available();

  /**
   * Installs the interception stage at the end of the client channel's pipeline, which now carries
   * raw bytes (the HTTP codec and the CONNECT stage are gone). Typically a server {@code
   * SslHandler} with a leaf certificate for {@link Tunnel#hostName()}, then {@link
   * dev.gatehouse.proxy.http.InnerHttp#install} with {@code TlsMode.INTERCEPT} and an upstream TLS
   * policy. Bytes the client sent right after the CONNECT request are fired into the pipeline after
   * this returns. Called on the channel's event loop; must not block.
   */
  void install(ChannelPipeline pipeline, Tunnel tunnel);

  /** No interception available: tunnels that need it are refused. */
  TunnelInterceptor REFUSE =
      new TunnelInterceptor() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public void install(ChannelPipeline pipeline, Tunnel tunnel) {
          throw new IllegalStateException("TLS interception is not available");
        }
      };
}
