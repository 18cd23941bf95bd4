package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class OriginRequestTest {
  private static HttpRequest request(HttpVersion version, HttpMethod method, String uri) {
    return new DefaultHttpRequest(version, method, uri);
  }

  @Test
  void rewrite_absoluteHttp10_becomesOriginFormHttp11WithHost() throws Exception {
    String uri = "http://Docs.Example:8080/a?x=1";
    HttpRequest req = request(HttpVersion.HTTP_1_0, HttpMethod.GET, uri);
    req.headers().set("Host", "elsewhere.example");

    OriginRequest.rewrite(req, RequestTarget.absolute(uri), false, 80);

    assertThat(req.uri()).isEqualTo("/a?x=1");
    assertThat(req.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(req.headers().get("Host")).isEqualTo("docs.example:8080");
  }

  @Test
  void rewrite_hopByHopAndProxyCredentials_areRemoved() throws Exception {
    String uri = "http://docs.example/";
    HttpRequest req = request(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    req.headers()
        .set("Connection", "close, X-Hop")
        .set("X-Hop", "1")
        .set("Proxy-Authorization", "Basic c2VjcmV0")
        .set("Upgrade", "websocket")
        .set("Accept", "*/*");

    OriginRequest.rewrite(req, RequestTarget.absolute(uri), false, 80);

    assertThat(req.headers().names()).containsExactlyInAnyOrder("Accept", "host");
  }

  @Test
  void rewrite_webSocketUpgrade_keepsUpgradeAndConnection() throws Exception {
    String uri = "http://docs.example/ws";
    HttpRequest req = request(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    req.headers().set("Connection", "Upgrade").set("Upgrade", "websocket");
    assertThat(WebSocketUpgrade.requested(req, false)).isTrue();

    OriginRequest.rewrite(req, RequestTarget.absolute(uri), true, 80);

    assertThat(req.headers().get("Upgrade")).isEqualTo("websocket");
    assertThat(req.headers().get("Connection")).isEqualTo("upgrade");
  }

  @Test
  void isIdempotent_safeAndIdempotentMethodsOnly() {
    assertThat(OriginRequest.isIdempotent(HttpMethod.GET)).isTrue();
    assertThat(OriginRequest.isIdempotent(HttpMethod.PUT)).isTrue();
    assertThat(OriginRequest.isIdempotent(HttpMethod.DELETE)).isTrue();
    assertThat(OriginRequest.isIdempotent(HttpMethod.POST)).isFalse();
    assertThat(OriginRequest.isIdempotent(HttpMethod.PATCH)).isFalse();
    assertThat(OriginRequest.isIdempotent(HttpMethod.CONNECT)).isFalse();
  }
}
