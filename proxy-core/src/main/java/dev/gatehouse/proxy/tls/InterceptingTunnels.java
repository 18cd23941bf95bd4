package dev.gatehouse.proxy.tls;

import dev.gatehouse.proxy.http.UpstreamTls;
import dev.gatehouse.proxy.tunnel.Tunnel;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import io.netty.channel.ChannelPipeline;

/** {@link TunnelInterceptor} that terminates inspected tunnels with minted leaves. */
final class InterceptingTunnels implements TunnelInterceptor {
  private final LeafCertificateCache leaves;
  private final UpstreamTls upstream;

  InterceptingTunnels(LeafCertificateCache leaves, UpstreamTls upstream) {
    this.leaves = leaves;
    this.upstream = upstream;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public void install(ChannelPipeline pipeline, Tunnel tunnel) {
    pipeline.addLast(
        InterceptStage.NAME, new InterceptStage(tunnel, tunnel.exchange(), leaves, upstream));
    // start minting now, while the client reads the 200 and writes its ClientHello
    leaves.serverContext(tunnel.host());
  }
}
