package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Host;
import java.net.InetAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class InterceptStageTest {
  private static final Host API = Host.parse("api.example.test");

  @Test
  void sniProblem_sameHostInAnySpelling_isFine() {
    assertThat(InterceptStage.sniProblem(API, "api.example.test")).isNull();
    assertThat(InterceptStage.sniProblem(API, "API.Example.TEST.")).isNull();
  }

  @Test
  void sniProblem_otherHost_namesBoth() {
    assertThat(InterceptStage.sniProblem(API, "evil.test"))
        .isEqualTo("TLS server name evil.test does not match the CONNECT host api.example.test");
  }

  @Test
  void sniProblem_missingSni_onlyForIpLiterals() throws Exception {
    assertThat(InterceptStage.sniProblem(API, null)).contains("names no server (SNI)");
    assertThat(InterceptStage.sniProblem(API, "")).contains("names no server (SNI)");
    Host ip = new Host.Ip(InetAddress.getByName("127.0.0.1"));
    assertThat(InterceptStage.sniProblem(ip, null)).isNull();
    assertThat(InterceptStage.sniProblem(ip, "api.example.test")).contains("does not match");
  }

  @Test
  void sniProblem_invalidName_refused() {
    assertThat(InterceptStage.sniProblem(API, "bad name!")).contains("not a valid host");
  }

  @Test
  void explain_namesTheFailedCheck() {
    SSLHandshakeException untrusted =
        handshake(new CertPathBuilderException("unable to find valid certification path"));
    assertThat(VerifiedUpstreamTls.explain("a.test", untrusted).getMessage())
        .isEqualTo(
            "the upstream certificate of a.test is not trusted (no chain to the system roots or"
                + " tls.upstream_ca: unable to find valid certification path)");
    assertThat(
            VerifiedUpstreamTls.explain(
                    "a.test",
                    handshake(
                        new CertificateException(
                            "No subject alternative DNS name matching a.test found.")))
                .getMessage())
        .startsWith("the upstream certificate does not name a.test (No subject alternative");
    assertThat(
            VerifiedUpstreamTls.explain("a.test", handshake(new CertificateExpiredException("x")))
                .getMessage())
        .isEqualTo("the upstream certificate of a.test has expired");
    SSLHandshakeException other =
        new SSLHandshakeException("Received fatal alert: handshake_failure");
    assertThat(VerifiedUpstreamTls.explain("a.test", other).getMessage())
        .startsWith("TLS handshake with a.test failed: ")
        .contains("handshake_failure");
    assertThat(VerifiedUpstreamTls.explain("a.test", other)).hasCause(other);
  }

  private static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
    e.initCause(cause);
    return e;
  }
}
