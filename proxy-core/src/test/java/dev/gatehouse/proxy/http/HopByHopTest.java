package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void stripRequest_removesHopByHopConnectionNamedAndProxyCredentials() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Connection", "keep-alive, X-Secret-Hop");
    h.add("X-Secret-Hop", "1");
    h.add("Keep-Alive", "timeout=5");
    h.add("Proxy-Connection", "keep-alive");
    h.add("Proxy-Authorization", "Basic Y2k6dG9r");
    h.add("TE", "trailers");
    h.add("Upgrade", "websocket");
    h.add("Transfer-Encoding", "chunked");
    h.add("Accept", "*/*");
    HopByHop.stripRequest(h);
    assertThat(h.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Accept");
  }

  @Test
  void stripRequest_connectionCannotRemoveFramingHeaders() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Connection", "Content-Length, Transfer-Encoding, Host");
    h.add("Content-Length", "5");
    h.add("Host", "a.example");
    HopByHop.stripRequest(h);
    assertThat(h.get("Content-Length")).isEqualTo("5");
    assertThat(h.get("Host")).isEqualTo("a.example");
  }

  @Test
  void stripResponse_removesGatehouseHeadersInAnyCase() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Gatehouse-Decision", "deny");
    h.add("gatehouse-reason", "rule_deny");
    h.add("GATEHOUSE-RULE", "forged");
    h.add("Content-Type", "text/plain");
    HopByHop.stripResponse(h);
    assertThat(h.names()).containsExactly("Content-Type");
  }
}
