package dev.gatehouse.proxy.tunnel;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONNECT tunnels (SPEC §3, issue 3 item 3): an allowed tunnel carries TLS end to end; the first
 * bytes are checked (SNI must equal the CONNECT host) before anything goes upstream; plain HTTP in
 * a tunnel is decided per request; a malformed CONNECT is a 400.
 */
class ConnectIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();

  @RegisterExtension
  static final UpstreamServer tls = UpstreamServer.tls(TestPolicies.ORIGIN, TestPolicies.GIT);

  @RegisterExtension static final UpstreamServer http = UpstreamServer.http();

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  private static RawClient connect(String authority) {
    RawClient c = gatehouse.client();
    c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    return c;
  }

  private static SSLSocket startTls(RawClient c, String sni, int port) throws IOException {
    SSLSocket s =
        (SSLSocket)
            tls.certificates()
                .clientContext()
                .getSocketFactory()
                .createSocket(c.socket(), TestPolicies.ORIGIN, port, true);
    SSLParameters params = s.getSSLParameters();
    params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    params.setEndpointIdentificationAlgorithm(sni == null ? null : "HTTPS");
    s.setSSLParameters(params);
    s.startHandshake();
    return s;
  }

  private static String exchange(SSLSocket s, String request) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[8192];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100 && !sb.toString().contains("\n\n"); i++) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return sb.toString();
  }

  @Test
  void allowedConnect_carriesTlsEndToEnd() throws IOException {
    String authority = TestPolicies.ORIGIN + ":" + tls.port();
    try (RawClient c = connect(authority)) {
      RawResponse established = c.readResponse(true);
      assertThat(established.status()).as(established.toString()).isEqualTo(200);
      try (SSLSocket s = startTls(c, TestPolicies.ORIGIN, tls.port())) {
        String response =
            exchange(
                s,
                "GET /echo/tunnel HTTP/1.1\r\nHost: "
                    + authority
                    + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").contains("GET /echo/tunnel");
        assertThat(s.getSession().getPeerCertificates()[0])
            .as("a tunnel is not intercepted: the client sees the upstream's own certificate")
            .isEqualTo(tls.certificates().leaf());
      }
    }
    assertThat(tls.requests()).isEqualTo(1);
  }

  /** The relay respects backpressure both ways: megabytes through one tunnel arrive intact. */
  @Test
  void tunnel_relaysLargeBodiesBothWays() throws IOException {
    String authority = TestPolicies.ORIGIN + ":" + tls.port();
    byte[] upload = new byte[1_500_000];
    for (int i = 0; i < upload.length; i++) {
      upload[i] = (byte) (i * 31);
    }
    try (RawClient c = connect(authority)) {
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      try (SSLSocket s = startTls(c, TestPolicies.ORIGIN, tls.port())) {
        RawClient inner = RawClient.over(s);
        inner.send("GET /bytes/3000000 HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertThat(inner.readResponse().body()).isEqualTo(UpstreamServer.expectedBytes(3_000_000));
        inner.send(
            "POST /echo/upload HTTP/1.1\r\nHost: "
                + authority
                + "\r\nContent-Length: "
                + upload.length
                + "\r\n\r\n");
        inner.send(upload);
        RawResponse echoed = inner.readResponse();
        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.body().length).isGreaterThan(upload.length);
      }
    }
    assertThat(tls.lastRequest().body()).isEqualTo(upload);
  }

  @Test
  void connect_sniDifferentFromConnectHost_refusedBeforeUpstream() {
    // git.test is in the upstream certificate: only the proxy can make this handshake fail
    try (RawClient c = connect(TestPolicies.ORIGIN + ":" + tls.port())) {
      RawResponse established = c.readResponse(true);
      assertThat(established.status()).isEqualTo(200);
      assertThatThrownBy(() -> startTls(c, TestPolicies.GIT, tls.port()))
          .isInstanceOf(IOException.class);
    }
    assertThat(tls.requests()).isZero();
  }

  @Test
  void connect_toNameWithoutSni_refused() {
    try (RawClient c = connect(TestPolicies.ORIGIN + ":" + tls.port())) {
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      assertThatThrownBy(() -> startTls(c, null, tls.port())).isInstanceOf(IOException.class);
    }
    assertThat(tls.requests()).isZero();
  }

  @Test
  void connect_withoutPort_is400() {
    try (RawClient c = connect(TestPolicies.ORIGIN)) {
      assertGatehouseBlock(c.readResponse(), 400, "bad_request");
    }
    assertThat(tls.connections()).isZero();
  }

  @Test
  void connect_toDeniedHost_is403() {
    try (RawClient c = connect(TestPolicies.DENIED + ":" + tls.port())) {
      RawResponse r = c.readResponse();
      assertGatehouseBlock(r, 403, "rule_deny");
      assertThat(r.reason())
          .as("the status line is the message most clients print")
          .contains("Gatehouse");
    }
    assertThat(tls.connections()).isZero();
  }

  @Test
  void connect_bytesAfterConnectInSamePacket_notLost() throws IOException {
    // NETTY-NOTES: a ClientHello in the same packet as the CONNECT must not be swallowed by the
    // HTTP codec. A plain HTTP request stands in for it here (decoded inside the tunnel).
    String authority = TestPolicies.ORIGIN + ":" + http.port();
    try (RawClient c = gatehouse.client()) {
      c.send(
          "CONNECT "
              + authority
              + " HTTP/1.1\r\nHost: "
              + authority
              + "\r\n\r\n"
              + "GET /echo/same-packet HTTP/1.1\r\nHost: "
              + authority
              + "\r\n\r\n");
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      RawResponse inner = c.readResponse();
      assertThat(inner.status()).as(inner.toString()).isEqualTo(200);
      assertThat(inner.bodyText()).startsWith("GET /echo/same-packet");
    }
  }

  @Test
  void plainHttpInsideTunnel_decidedPerRequest() {
    String authority = TestPolicies.ORIGIN + ":" + http.port();
    try (RawClient c = connect(authority)) {
      assertThat(c.readResponse(true).status()).isEqualTo(200);
      c.send("GET /echo/inner-1 HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
      RawResponse first = c.readResponse();
      assertThat(first.status()).as(first.toString()).isEqualTo(200);
      assertThat(first.bodyText()).startsWith("GET /echo/inner-1");

      c.send(
          "GET /echo/inner-2 HTTP/1.1\r\nHost: "
              + TestPolicies.DENIED
              + ":"
              + http.port()
              + "\r\n\r\n");
      RawResponse second = c.readResponse();
      assertGatehouseBlock(second, 400, "bad_request");
    }
    assertThat(http.received()).extracting(r -> r.uri()).containsExactly("/echo/inner-1");
  }
}
