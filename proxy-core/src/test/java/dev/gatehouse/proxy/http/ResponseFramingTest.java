package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ResponseFramingTest {
  private static HttpResponse response(int status, String header, String value) {
    HttpResponse r =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    if (header != null) {
      r.headers().set(header, value);
    }
    return r;
  }

  @Test
  void closeDelimitedBody_isChunkedForHttp11Clients() {
    HttpResponse r = response(200, null, null);
    assertThat(ResponseFraming.closeDelimited(r, false)).isTrue();
    assertThat(ResponseFraming.prepareForClient(r, false, false, true)).isFalse();
    assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
  }

  @Test
  void closeDelimitedBody_closesHttp10Clients() {
    HttpResponse r = response(200, null, null);
    assertThat(ResponseFraming.prepareForClient(r, false, true, true)).isTrue();
    assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
    assertThat(r.headers().get("Connection")).isEqualTo("close");
  }

  @Test
  void chunkedBody_isDechunkedAndClosedForHttp10Clients() {
    HttpResponse r = response(200, "Transfer-Encoding", "chunked");
    assertThat(ResponseFraming.prepareForClient(r, false, true, true)).isTrue();
    assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
  }

  @Test
  void lengthKnown_http10KeepAliveClient_staysOpen() {
    HttpResponse r = response(200, "Content-Length", "5");
    assertThat(ResponseFraming.prepareForClient(r, false, true, true)).isFalse();
    assertThat(r.headers().get("Connection")).isEqualTo("keep-alive");
  }

  @Test
  void headAnd204And304_haveNoBodyToDelimit() {
    assertThat(ResponseFraming.closeDelimited(response(200, null, null), true)).isFalse();
    assertThat(ResponseFraming.closeDelimited(response(204, null, null), false)).isFalse();
    assertThat(ResponseFraming.closeDelimited(response(304, null, null), false)).isFalse();
  }

  @Test
  void clientAskingToClose_getsConnectionClose() {
    HttpResponse r = response(200, "Content-Length", "5");
    assertThat(ResponseFraming.prepareForClient(r, false, false, false)).isTrue();
    assertThat(r.headers().get("Connection")).isEqualTo("close");
  }
}
