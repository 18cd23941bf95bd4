package dev.gatehouse.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/** A minted leaf and the Netty server context that presents it (ALPN http/1.1). */
public record LeafContext(LeafCertificate leaf, SslContext sslContext) {
  public LeafContext {
    Objects.requireNonNull(leaf, "leaf");
    Objects.requireNonNull(sslContext, "sslContext");
  }
}
