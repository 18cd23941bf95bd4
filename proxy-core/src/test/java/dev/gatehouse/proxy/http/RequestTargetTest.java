package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.Host;
import org.junit.jupiter.api.Test;

class RequestTargetTest {
  @Test
  void absolute_parsesHostPortPathQuery() throws Exception {
    RequestTarget t = RequestTarget.absolute("http://Docs.Example.:8080/a/b?x=1");
    assertThat(t.host()).isEqualTo(Host.parse("docs.example"));
    assertThat(t.port()).isEqualTo(8080);
    assertThat(t.path()).isEqualTo("/a/b");
    assertThat(t.originForm()).isEqualTo("/a/b?x=1");
    assertThat(t.urlWithoutQuery("http", 80)).isEqualTo("http://docs.example:8080/a/b");
    assertThat(t.hostHeader(80)).isEqualTo("docs.example:8080");
  }

  @Test
  void absolute_defaultsPort80AndPathSlash() throws Exception {
    RequestTarget t = RequestTarget.absolute("http://docs.example");
    assertThat(t.port()).isEqualTo(80);
    assertThat(t.originForm()).isEqualTo("/");
    assertThat(t.hostHeader(80)).isEqualTo("docs.example");
  }

  @Test
  void absolute_ipv6InBrackets() throws Exception {
    RequestTarget t = RequestTarget.absolute("http://[::1]:8080/");
    assertThat(t.host()).isInstanceOf(Host.Ip.class);
    assertThat(t.hostHeader(80)).isEqualTo("[0:0:0:0:0:0:0:1]:8080");
  }

  @Test
  void absolute_refusesWhatAProxyMustNotGuess() {
    assertThatThrownBy(() -> RequestTarget.absolute("/index.html"))
        .hasMessageContaining("origin-form");
    assertThatThrownBy(() -> RequestTarget.absolute("https://a.example/"))
        .hasMessageContaining("CONNECT");
    assertThatThrownBy(() -> RequestTarget.absolute("http://user:pw@a.example/"))
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> RequestTarget.absolute("http://a.example:0/"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> RequestTarget.absolute("http://a.example:99999/"))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> RequestTarget.absolute("http://a..example/"))
        .hasMessageContaining("invalid host");
    assertThatThrownBy(() -> RequestTarget.absolute("ftp://a.example/"))
        .hasMessageContaining("scheme");
  }

  @Test
  void legacyIpv4Spelling_isTheAddressNotAName() throws Exception {
    RequestTarget t = RequestTarget.absolute("http://2130706433/");
    assertThat(t.host()).isInstanceOf(Host.Ip.class);
    assertThat(t.host().toString()).isEqualTo("127.0.0.1");
  }

  @Test
  void connect_needsAPort() throws Exception {
    assertThat(RequestTarget.connect("a.example:443").port()).isEqualTo(443);
    assertThatThrownBy(() -> RequestTarget.connect("a.example")).hasMessageContaining("port");
    assertThatThrownBy(() -> RequestTarget.connect("http://a.example:443"))
        .isInstanceOf(RequestTarget.BadTargetException.class);
  }

  @Test
  void hostHeader_mustAgree() throws Exception {
    RequestTarget t = RequestTarget.absolute("http://a.example/");
    t.checkHostHeader("A.EXAMPLE", 80);
    t.checkHostHeader("a.example:80", 80);
    assertThatThrownBy(() -> t.checkHostHeader("b.example", 80)).hasMessageContaining("disagrees");
    assertThatThrownBy(() -> t.checkHostHeader("a.example:81", 80))
        .hasMessageContaining("disagrees");
  }

  @Test
  void inTunnel_originFormTakesTheTunnelHost() throws Exception {
    Host h = Host.parse("a.example");
    RequestTarget t = RequestTarget.inTunnel("/x?y", h, 443);
    assertThat(t.host()).isEqualTo(h);
    assertThat(t.port()).isEqualTo(443);
    assertThatThrownBy(() -> RequestTarget.inTunnel("http://b.example/", h, 443))
        .isInstanceOf(RequestTarget.BadTargetException.class);
  }
}
