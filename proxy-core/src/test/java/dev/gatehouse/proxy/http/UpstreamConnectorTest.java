package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpstreamConnectorTest {
  private static final InetSocketAddress ADDRESS =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

  @Test
  void describe_refused_namesTheAddress() {
    assertThat(UpstreamConnector.describe(new ConnectException("Connection refused"), ADDRESS))
        .isEqualTo("connection refused by 127.0.0.1:8080");
  }

  @Test
  void describe_multiLineMessage_keepsTheFirstLine() {
    assertThat(UpstreamConnector.describe(new IOException("handshake failed\nat depth 1"), ADDRESS))
        .isEqualTo("handshake failed (127.0.0.1:8080)");
  }

  @Test
  void describe_noMessage_usesTheExceptionType() {
    assertThat(UpstreamConnector.describe(new IOException(), ADDRESS))
        .isEqualTo("IOException (127.0.0.1:8080)");
    assertThat(UpstreamConnector.describe(null, ADDRESS))
        .isEqualTo("connection failed (127.0.0.1:8080)");
  }
}
