package dev.gatehouse.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.policy.Host;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Minted leaves against strict real clients on loopback: Python's {@code ssl} with {@code
 * VERIFY_X509_STRICT} (the bar Python 3.13 sets by default), curl, and Java's default trust manager
 * with the CA added. Each client also has a negative control, so a client that verified nothing
 * could not pass.
 */
class LeafVerificationIT {
  private static final String HOST = "api.example.test";
  private static final Clock CLOCK = Clock.systemUTC(); // clients check validity against now

  @TempDir static Path dir;
  static CertificateAuthority ca;
  static Path caFile;
  static LeafCertificateCache cache;

  @BeforeAll
  static void createCa() throws Exception {
    ca = CertificateAuthority.create(KeyAlgorithm.EC_P256, "it", CLOCK);
    caFile = dir.resolve("ca.pem");
    ca.write(caFile, dir.resolve("ca-key.pem"), false);
    cache = LeafCertificateCache.create(LeafIssuer.create(ca, CLOCK));
  }

  private static SslContext contextFor(Host host) {
    return cache.serverContext(host).orTimeout(10, TimeUnit.SECONDS).join().sslContext();
  }

  // ---- Python, strict ----

  private static final String PYTHON =
      String.join(
          "\n",
          "import socket, ssl, sys",
          "port, name, strict = int(sys.argv[1]), sys.argv[2], sys.argv[3] == '1'",
          "ctx = ssl.create_default_context(cafile=sys.argv[4])",
          "if strict: ctx.verify_flags |= ssl.VERIFY_X509_STRICT",
          "ctx.set_alpn_protocols(['h2', 'http/1.1'])",
          "try:",
          "    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:",
          "        with ctx.wrap_socket(raw, server_hostname=name) as s:",
          "            print('OK', s.version(), s.selected_alpn_protocol())",
          "except ssl.SSLCertVerificationError as e:",
          "    print('REJECTED', e.verify_message)",
          "");

  private static String python(int port, String name, boolean strict) throws Exception {
    assumeTrue(onPath("python3"), "python3 not installed");
    return run(
        List.of(
            "python3",
            "-c",
            PYTHON,
            Integer.toString(port),
            name,
            strict ? "1" : "0",
            caFile.toString()));
  }

  @Test
  void python_strict_acceptsDnsLeaf() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      assertThat(python(server.port(), HOST, true)).startsWith("OK").endsWith("http/1.1");
    }
  }

  @Test
  void python_strict_acceptsIpLeaf() throws Exception {
    Host ip = new Host.Ip(InetAddress.getByName("127.0.0.1"));
    try (TlsEchoServer server = new TlsEchoServer(contextFor(ip))) {
      assertThat(python(server.port(), "127.0.0.1", true)).startsWith("OK");
    }
  }

  @Test
  void python_strict_acceptsLeafOfRsaCa() throws Exception {
    CertificateAuthority rsa = CertificateAuthority.create(KeyAlgorithm.RSA_3072, "it", CLOCK);
    Path rsaFile = dir.resolve("rsa-ca.pem");
    Files.writeString(rsaFile, rsa.certificatePem());
    SslContext context =
        CaffeineLeafCertificateCache.serverContext(
            LeafIssuer.create(rsa, CLOCK).issue(new Host.Name(HOST)));
    try (TlsEchoServer server = new TlsEchoServer(context)) {
      assumeTrue(onPath("python3"), "python3 not installed");
      String out =
          run(List.of("python3", "-c", PYTHON, "" + server.port(), HOST, "1", rsaFile.toString()));
      assertThat(out).startsWith("OK");
    }
  }

  @Test
  void python_strict_rejectsOtherName() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      assertThat(python(server.port(), "other.example.test", true)).startsWith("REJECTED");
    }
  }

  @Test
  void python_strict_rejectsLeafWithoutAuthorityKeyId_negativeControl() throws Exception {
    // proves the strict flag is in force: the same leaf passes without it
    SslContext weak = CaffeineLeafCertificateCache.serverContext(leafWithoutAki(HOST));
    try (TlsEchoServer server = new TlsEchoServer(weak)) {
      assertThat(python(server.port(), HOST, false)).startsWith("OK");
      assertThat(python(server.port(), HOST, true))
          .startsWith("REJECTED")
          .contains("Authority Key Identifier");
    }
  }

  // ---- curl ----

  private static List<String> curl(int port, String name) {
    return List.of(
        "curl",
        "-sS",
        "--noproxy",
        "*",
        "--max-time",
        "10",
        "--cacert",
        caFile.toString(),
        "--resolve",
        name + ":" + port + ":127.0.0.1",
        "-w",
        " %{http_code} %{ssl_verify_result}",
        "https://" + name + ":" + port + "/");
  }

  @Test
  void curl_acceptsLeaf() throws Exception {
    assumeTrue(onPath("curl"), "curl not installed");
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      assertThat(run(curl(server.port(), HOST))).isEqualTo("ok\n 200 0");
    }
  }

  @Test
  void curl_rejectsOtherName() throws Exception {
    assumeTrue(onPath("curl"), "curl not installed");
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      assertThat(run(curl(server.port(), "other.example.test"))).doesNotContain(" 200 ");
    }
  }

  // ---- Java ----

  private static String java(int port, String name, KeyStore trust) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      socket.setSoTimeout(10_000);
      SSLParameters params = socket.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(name)));
      params.setEndpointIdentificationAlgorithm("HTTPS");
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      socket.setSSLParameters(params);
      socket.startHandshake();
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + name + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return socket.getApplicationProtocol() + " " + response.lines().findFirst().orElse("");
    }
  }

  private static KeyStore trusting(java.security.cert.X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", cert);
    return trust;
  }

  @Test
  void java_defaultTrustManagerWithCa_acceptsLeaf() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      assertThat(java(server.port(), HOST, trusting(ca.certificate())))
          .isEqualTo("http/1.1 HTTP/1.1 200 OK");
    }
  }

  @Test
  void java_otherCa_rejectsLeaf() throws Exception {
    CertificateAuthority other = CertificateAuthority.create(KeyAlgorithm.EC_P256, "x", CLOCK);
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> java(server.port(), HOST, trusting(other.certificate())))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  void java_otherName_rejectsLeaf() throws Exception {
    try (TlsEchoServer server = new TlsEchoServer(contextFor(new Host.Name(HOST)))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> java(server.port(), "other.example.test", trusting(ca.certificate())))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  // ---- helpers ----

  /** Like a real leaf but without the Authority Key Identifier that strict mode requires. */
  private static LeafCertificate leafWithoutAki(String name) throws Exception {
    var keys = CertificateAuthority.generateKeyPair(KeyAlgorithm.EC_P256);
    var now = CLOCK.instant();
    var builder =
        new JcaX509v3CertificateBuilder(
                ca.certificate(),
                CertificateAuthority.randomSerial(),
                Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86400)),
                new X500Name("CN=" + name),
                keys.getPublic())
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, name)))
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    var cert =
        Certificates.toX509(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
    return new LeafCertificate(new Host.Name(name), cert, keys.getPrivate());
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a client with no proxy variables, bounded in time; returns its stdout, trimmed. */
  static String run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    for (String v :
        List.of(
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy")) {
      pb.environment().remove(v);
    }
    Path out = Files.createTempFile(dir, "client", ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish in 30 s");
    }
    return Files.readString(out, StandardCharsets.UTF_8).strip();
  }
}
