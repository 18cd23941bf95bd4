package dev.gatehouse.proxy.tls;

import static dev.gatehouse.proxy.testing.ProxyAssertions.assertGatehouseBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.observe.TlsMode;
import dev.gatehouse.proxy.testing.ClientProcess;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.GitFixture;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS interception end to end on loopback (issue 4): real TLS origins with their own test CA,
 * {@code *.test} names from the test DNS server, Gatehouse in process with a fresh interception CA,
 * and clients that trust only that CA (Java, curl, Python strict, git).
 */
class InterceptionIT {
  static final String API = "origin.test"; // methods + paths: intercepted
  static final String GIT = "git.test"; // GET below /git/: intercepted
  static final String WRONG_NAME = "wrong.test"; // intercepted; the origin's cert lacks this name
  static final String UNTRUSTED = "untrusted.test"; // intercepted; origin cert from an unknown CA
  static final String TUNNEL = "tunnel.test"; // no methods or paths: a plain tunnel

  static final Path CA_DIR = tempDir();
  static final Path CA_CERT = CA_DIR.resolve("ca.pem");
  static final Path CA_KEY = CA_DIR.resolve("ca-key.pem");

  static {
    try {
      CertificateAuthority.create(KeyAlgorithm.EC_P256, "it", Clock.systemUTC())
          .write(CA_CERT, CA_KEY, false);
    } catch (CaException e) {
      throw new IllegalStateException(e);
    }
  }

  @RegisterExtension static final UpstreamServer origin = UpstreamServer.tls(API, GIT);

  @RegisterExtension static final UpstreamServer stranger = UpstreamServer.tls(UNTRUSTED);

  @RegisterExtension static final UpstreamServer tunnelOrigin = UpstreamServer.tls(TUNNEL);

  @RegisterExtension
  static final TestDnsServer dns =
      TestDnsServer.create()
          .map(API, "127.0.0.1")
          .map(GIT, "127.0.0.1")
          .map(WRONG_NAME, "127.0.0.1")
          .map(UNTRUSTED, "127.0.0.1")
          .map(TUNNEL, "127.0.0.1");

  static final String POLICY =
      """
      version: 1
      defaults: {action: deny, mode: enforce}
      network: {allow_cidrs: [127.0.0.1/32]}
      rules:
        - id: api-read
          allow: [origin.test]
          ports: ["1-65535"]
          methods: [GET, HEAD]
          paths: ["/v1/**"]
        - id: git-read
          allow: [git.test]
          ports: ["1-65535"]
          methods: [GET]
          paths: ["/git/**"]
        - id: bad-upstreams
          allow: [wrong.test, untrusted.test]
          ports: ["1-65535"]
          methods: [GET]
        - id: plain-tunnel
          allow: [tunnel.test]
          ports: ["1-65535"]
        - id: loopback-literal
          allow: ["127.0.0.1"]
          ports: ["1-65535"]
          methods: [GET]
      anonymous: default
      """;

  /** Every call the proxy reports: what the spans and audit records are made from. */
  static final java.util.concurrent.BlockingQueue<CallEnd> ENDED =
      new java.util.concurrent.LinkedBlockingQueue<>();

  static final java.util.Map<String, CallStart> STARTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final CallObserver RECORDER =
      start ->
          new CallHandle() {
            {
              STARTED.put(start.requestId(), start);
            }

            @Override
            public void event(String name, java.util.Map<String, String> attributes) {}

            @Override
            public void end(CallEnd end) {
              ENDED.add(end);
            }
          };

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(POLICY, dns)
          .config(
              c ->
                  new ServerConfig(
                      c.listen(),
                      c.admin(),
                      c.policy(),
                      c.dns(),
                      new ServerConfig.Tls(
                          CA_CERT,
                          CA_KEY,
                          Optional.of(origin.start().caPem()),
                          ServerConfig.InterceptMode.AUTO),
                      c.approvals(),
                      c.audit(),
                      c.limits()))
          .settings(b -> b.observer(RECORDER))
          .settings(
              b -> {
                try {
                  b.interceptor(
                      Interception.fromConfig(
                          new ServerConfig.Tls(
                              CA_CERT,
                              CA_KEY,
                              Optional.of(origin.start().caPem()),
                              ServerConfig.InterceptMode.AUTO),
                          Clock.systemUTC()));
                } catch (CaException e) {
                  throw new IllegalStateException(e);
                }
              });

  @BeforeEach
  void reset() {
    ENDED.clear();
    origin.reset();
    stranger.reset();
    tunnelOrigin.reset();
  }

  // ---- the client side: CONNECT, then TLS trusting only Gatehouse's CA ----

  static SSLContext trusting(X509Certificate... roots) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < roots.length; i++) {
        store.setCertificateEntry("root" + i, roots[i]);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X509Certificate gatehouseCa() {
    try {
      return CertificateAuthority.readCertificate(CA_CERT);
    } catch (CaException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A TLS session to {@code host:port} through a CONNECT tunnel; null-safe close via the client.
   */
  record Session(RawClient client, SSLSocket socket) implements AutoCloseable {
    X509Certificate peer() {
      try {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    RawResponse get(String method, String path, String hostHeader) {
      client.send(method + " " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n");
      return client.readResponse("HEAD".equals(method));
    }

    @Override
    public void close() {
      client.close();
    }
  }

  static Session open(String host, int port, SSLContext trust) {
    return open(gatehouse, host, port, trust);
  }

  static Session open(GatehouseExtension proxy, String host, int port, SSLContext trust) {
    RawClient plain = proxy.client();
    plain.send(
        "CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n");
    RawResponse established = plain.readResponse(true);
    assertThat(established.status()).as("CONNECT %s: %s", host, established).isEqualTo(200);
    try {
      SSLSocket tls =
          (SSLSocket) trust.getSocketFactory().createSocket(plain.socket(), host, port, true);
      SSLParameters params = tls.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(host)));
      params.setEndpointIdentificationAlgorithm("HTTPS");
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      tls.setSSLParameters(params);
      tls.setSoTimeout(5_000);
      tls.startHandshake();
      return new Session(RawClient.over(tls), tls);
    } catch (IOException e) {
      plain.close();
      throw new UncheckedIOException(e);
    }
  }

  static Session openApi() {
    return open(API, origin.port(), trusting(gatehouseCa()));
  }

  String apiHost() {
    return API + ":" + origin.port();
  }

  // ---- decisions on inner requests ----

  @Test
  void allowedMethodAndPath_reachesTheOriginThroughGatehousesLeaf() {
    try (Session s = openApi()) {
      assertThat(s.socket().getApplicationProtocol()).isEqualTo("http/1.1");
      assertThat(s.peer().getIssuerX500Principal())
          .isEqualTo(gatehouseCa().getSubjectX500Principal());
      RawResponse r = s.get("GET", "/v1/echo?q=1", apiHost());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(origin.lastRequest().uri()).isEqualTo("/v1/echo?q=1");
      assertThat(origin.lastRequest().method()).isEqualTo("GET");
      RawResponse again = s.get("HEAD", "/v1/x", apiHost()); // keep-alive inside the tunnel
      assertThat(again.status()).isEqualTo(200);
    }
    assertThat(origin.requests()).isEqualTo(2);
  }

  @Test
  void otherPath_403PathNotAllowed_originSeesNothing() {
    try (Session s = openApi()) {
      RawResponse r = s.get("GET", "/v2/secret", apiHost());
      assertGatehouseBlock(r, 403, "path_not_allowed");
      assertThat(r.header("Gatehouse-Rule")).isNotBlank();
    }
    assertThat(origin.requests()).isZero();
  }

  @Test
  void otherMethod_403MethodNotAllowed_originSeesNothing() {
    try (Session s = openApi()) {
      s.client()
          .send(
              "POST /v1/items HTTP/1.1\r\nHost: " + apiHost() + "\r\nContent-Length: 2\r\n\r\nhi");
      assertGatehouseBlock(s.client().readResponse(), 403, "method_not_allowed");
    }
    assertThat(origin.requests()).isZero();
  }

  @Test
  void traversalAndEncodedSlashTricks_neverReachAnotherPath() {
    List<String> tricks =
        List.of(
            "/v1/../v2/secret",
            "/v1/%2e%2e/v2/secret",
            "/v1/%2E%2E/v2/secret",
            "/v1/.%2e/v2/secret",
            "/v1/..%2fv2/secret",
            "/v1/..%2Fv2/secret",
            "/v1/%2e%2e%2fv2/secret",
            "/v1%2f..%2fv2/secret",
            "/v1/..;/v2/secret",
            "/v1/..%5cv2/secret",
            "/v1/./../v2/secret");
    for (String path : tricks) {
      try (Session s = openApi()) {
        RawResponse r = s.get("GET", path, apiHost());
        assertThat(r.status()).as("%s -> %s", path, r).isIn(400, 403);
      }
    }
    assertThat(origin.requests()).as("the origin saw %s", origin.received()).isZero();
  }

  @Test
  void innerHostMismatch_400() {
    try (Session s = openApi()) {
      RawResponse r = s.get("GET", "/v1/echo", "evil.test");
      assertGatehouseBlock(r, 400, "bad_request");
    }
    assertThat(origin.requests()).isZero();
  }

  @Test
  void sniOtherThanConnectHost_closedBeforeAnythingGoesUpstream() throws Exception {
    RawClient plain = gatehouse.client();
    plain.send("CONNECT " + apiHost() + " HTTP/1.1\r\nHost: " + apiHost() + "\r\n\r\n");
    assertThat(plain.readResponse(true).status()).isEqualTo(200);
    assertThatThrownBy(
            () -> {
              SSLSocket tls =
                  (SSLSocket)
                      trusting(gatehouseCa())
                          .getSocketFactory()
                          .createSocket(plain.socket(), "other.test", origin.port(), true);
              SSLParameters params = tls.getSSLParameters();
              params.setServerNames(List.of(new SNIHostName("other.test")));
              tls.setSSLParameters(params);
              tls.startHandshake();
            })
        .isInstanceOf(IOException.class);
    plain.close();
    assertThat(origin.connections()).isZero();
    // this test's tunnel is the only one to end with bad_request (earlier ones may still end)
    boolean refused = false;
    for (int i = 0; i < 50 && !refused; i++) {
      CallEnd end = ENDED.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(end).as("the tunnel's call ended").isNotNull();
      refused =
          end.method().equals("CONNECT") && end.decision().reason().name().equals("BAD_REQUEST");
    }
    assertThat(refused).isTrue();
  }

  @Test
  void calls_tunnelReportsInterceptAndInnerRequestsAreItsChildren() throws Exception {
    try (Session s = openApi()) {
      assertThat(s.get("GET", "/v1/a", apiHost()).status()).isEqualTo(200);
      assertThat(s.get("GET", "/v2/b", apiHost()).status()).isEqualTo(403);
    }
    // calls of earlier tests may still be ending: keep this tunnel's and its requests'
    String a = "https://" + apiHost() + "/v1/a";
    String b = "https://" + apiHost() + "/v2/b";
    List<CallEnd> ends = new java.util.ArrayList<>();
    for (int i = 0; i < 50 && !(seen(ends, a) && seen(ends, b) && seen(ends, apiHost())); i++) {
      CallEnd end = ENDED.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(end).as("calls ended so far: %s", ends).isNotNull();
      if (List.of(a, b, apiHost()).contains(end.urlFull())) {
        ends.add(end);
      }
    }
    CallEnd tunnel =
        ends.stream().filter(e -> e.method().equals("CONNECT")).findFirst().orElseThrow();
    assertThat(tunnel.tls()).isEqualTo(TlsMode.INTERCEPT);
    assertThat(tunnel.statusCode()).isEqualTo(200);
    List<CallEnd> inner = ends.stream().filter(e -> !e.method().equals("CONNECT")).toList();
    assertThat(inner)
        .extracting(CallEnd::urlFull)
        .containsExactly("https://" + apiHost() + "/v1/a", "https://" + apiHost() + "/v2/b");
    assertThat(inner).extracting(CallEnd::tls).containsOnly(TlsMode.INTERCEPT);
    assertThat(inner)
        .extracting(e -> e.decision().reason().name())
        .containsExactly("RULE_ALLOW", "PATH_NOT_ALLOWED");
    assertThat(
            STARTED.values().stream()
                .filter(st -> st.kind() == CallKind.INTERCEPTED)
                .filter(st -> st.parent().isPresent())
                .count())
        .isGreaterThanOrEqualTo(2);
  }

  private static boolean seen(List<CallEnd> ends, String url) {
    return ends.stream().anyMatch(e -> e.urlFull().equals(url));
  }

  // ---- upstream verification ----

  @Test
  void upstreamWithUntrustedCertificate_502NamingTheCause() {
    try (Session s = open(UNTRUSTED, stranger.port(), trusting(gatehouseCa()))) {
      RawResponse r = s.get("GET", "/x", UNTRUSTED + ":" + stranger.port());
      assertGatehouseBlock(r, 502, "upstream_error");
      assertThat(r.reason() + r.bodyText()).contains("not trusted");
    }
    assertThat(stranger.requests()).isZero();
  }

  @Test
  void upstreamCertificateForAnotherName_502NamingTheCause() {
    try (Session s = open(WRONG_NAME, origin.port(), trusting(gatehouseCa()))) {
      RawResponse r = s.get("GET", "/x", WRONG_NAME + ":" + origin.port());
      assertGatehouseBlock(r, 502, "upstream_error");
      assertThat(r.reason() + r.bodyText()).contains("does not name " + WRONG_NAME);
    }
    assertThat(origin.requests()).isZero();
  }

  @Test
  void ipLiteralConnect_withoutSni_getsAnIpLeaf_andTheOriginsNameIsChecked() {
    // Java sends no SNI for an IP literal; the leaf then names the address (IP SAN), and the
    // origin's certificate, which names only origin.test and git.test, fails the upstream check
    try (Session s = open("127.0.0.1", origin.port(), trusting(gatehouseCa()))) {
      assertThat(s.peer().getIssuerX500Principal())
          .isEqualTo(gatehouseCa().getSubjectX500Principal());
      RawResponse r = s.get("GET", "/x", "127.0.0.1:" + origin.port());
      assertGatehouseBlock(r, 502, "upstream_error");
      assertThat(r.reason() + r.bodyText()).contains("does not name 127.0.0.1");
    }
    assertThat(origin.requests()).isZero();
  }

  // ---- what is not intercepted ----

  @Test
  void tunnelOnlyHost_clientSeesTheOriginsOwnCertificate() {
    SSLContext originTrust = trusting(tunnelOrigin.certificates().ca());
    try (Session s = open(TUNNEL, tunnelOrigin.port(), originTrust)) {
      assertThat(s.peer()).isEqualTo(tunnelOrigin.certificates().leaf());
      assertThat(s.get("GET", "/anything", TUNNEL + ":" + tunnelOrigin.port()).status())
          .isEqualTo(200);
    }
    // and a client that trusts only Gatehouse's CA fails: nothing was minted for it
    assertThatThrownBy(() -> open(TUNNEL, tunnelOrigin.port(), trusting(gatehouseCa())))
        .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class)
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void clientThatDoesNotTrustGatehouse_failsTheHandshake_originSeesNothing() {
    assertThatThrownBy(() -> open(API, origin.port(), trusting(origin.certificates().ca())))
        .hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(origin.connections()).isZero();
  }

  // ---- WebSocket through an intercepted host ----

  /** Sends the upgrade request; returns the response head (status line and headers). */
  static String upgrade(SSLSocket tls, String path, String hostHeader) throws IOException {
    tls.getOutputStream()
        .write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + hostHeader
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    InputStream in = tls.getInputStream();
    for (int i = 0; i < 16_384 && !head.toString().endsWith("\r\n\r\n"); i++) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** One masked text frame (clients must mask, RFC 6455 §5.3). */
  static void sendText(SSLSocket tls, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    tls.getOutputStream().write(frame);
    tls.getOutputStream().flush();
  }

  static String readText(SSLSocket tls) throws IOException {
    DataInputStream in = new DataInputStream(tls.getInputStream());
    int opcode = in.readUnsignedByte() & 0x0f;
    int len = in.readUnsignedByte() & 0x7f;
    assertThat(opcode).isEqualTo(1);
    assertThat(len).isLessThan(126);
    byte[] payload = in.readNBytes(len);
    return new String(payload, StandardCharsets.UTF_8);
  }

  static WebSocketEchoServer webSocketOrigin() throws Exception {
    io.netty.handler.ssl.SslContext tls =
        io.netty.handler.ssl.SslContextBuilder.forServer(
                origin.certificates().leafKey(), origin.certificates().leaf())
            .build();
    return new WebSocketEchoServer(tls, "/v1/ws");
  }

  @Test
  void webSocket_allowedPath_echoesThroughTheInterceptedTunnel() throws Exception {
    try (WebSocketEchoServer ws = webSocketOrigin();
        Session s = open(API, ws.port(), trusting(gatehouseCa()))) {
      String head = upgrade(s.socket(), "/v1/ws", API + ":" + ws.port());
      assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: websocket");
      assertThat(head).containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
      for (int i = 0; i < 3; i++) {
        sendText(s.socket(), "hello " + i);
        assertThat(readText(s.socket())).isEqualTo("echo: hello " + i);
      }
      assertThat(ws.upgrades.get()).isEqualTo(1);
    }
  }

  @Test
  void webSocket_pathNotAllowed_403BeforeTheOriginIsAsked() throws Exception {
    try (WebSocketEchoServer ws = webSocketOrigin();
        Session s = open(API, ws.port(), trusting(gatehouseCa()))) {
      String head = upgrade(s.socket(), "/ws", API + ":" + ws.port());
      assertThat(head).startsWith("HTTP/1.1 403").contains("Gatehouse-Reason: path_not_allowed");
      assertThat(ws.upgrades.get()).isZero();
    }
  }

  // ---- real clients through the proxy ----

  @Test
  void curl_throughProxy_trustsTheLeaf() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r = curlThroughProxy("/v1/echo");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("ok\n\n200");
    assertThat(origin.lastRequest().uri()).isEqualTo("/v1/echo");
  }

  @Test
  void curl_deniedPath_printsTheGatehouseBlock() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r = curlThroughProxy("/admin");
    assertThat(r.stdout()).startsWith("GATEHOUSE_DECISION {").endsWith("\n403");
  }

  /** curl through Gatehouse to {@code path} on the intercepted API host, trusting only the CA. */
  private ClientProcess.Result curlThroughProxy(String path) {
    return ClientProcess.run(
        List.of(
            "curl",
            "-sS",
            "--max-time",
            "10",
            "--proxy",
            gatehouse.proxyUrl(),
            "--cacert",
            CA_CERT.toString(),
            "-w",
            "\n%{http_code}",
            "https://" + apiHost() + path),
        Map.of(),
        null,
        Duration.ofSeconds(20));
  }

  static final String PYTHON_STRICT =
      String.join(
          "\n",
          "import http.client, ssl, sys",
          "proxy_port, host, port, ca = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),"
              + " sys.argv[4]",
          "ctx = ssl.create_default_context(cafile=ca)",
          "ctx.verify_flags |= ssl.VERIFY_X509_STRICT",
          "c = http.client.HTTPSConnection('127.0.0.1', proxy_port, context=ctx, timeout=10)",
          "c.set_tunnel(host, port)",
          "c.request('GET', '/v1/echo')",
          "r = c.getresponse()",
          "print(r.status, r.read().decode().splitlines()[0])",
          "");

  @Test
  void pythonStrict_throughProxy_trustsTheLeaf() {
    assumeTrue(ClientProcess.available("python3"), "python3 not installed");
    ClientProcess.Result r =
        ClientProcess.run(
            List.of(
                "python3",
                "-c",
                PYTHON_STRICT,
                Integer.toString(gatehouse.proxyAddress().getPort()),
                API,
                Integer.toString(origin.port()),
                CA_CERT.toString()),
            Map.of(),
            null,
            Duration.ofSeconds(20));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().strip()).isEqualTo("200 ok");
    assertThat(origin.lastRequest().uri()).isEqualTo("/v1/echo");
  }

  @Test
  void gitClone_throughInterceptedHostWithPathRules(@TempDir Path dir) {
    assumeTrue(ClientProcess.available("git"), "git not installed");
    GitFixture.createBareRepo(dir, dir.resolve("served"));
    origin.serveDirectory("/git/", dir.resolve("served"));
    Map<String, String> env = GitFixture.env(dir);
    env.put("GIT_SSL_CAINFO", CA_CERT.toString());
    env.put("https_proxy", gatehouse.proxyUrl());
    ClientProcess.Result r =
        ClientProcess.run(
            List.of(
                "git",
                "clone",
                "-q",
                "https://" + GIT + ":" + origin.port() + "/git/repo.git",
                dir.resolve("out").toString()),
            env,
            dir,
            Duration.ofSeconds(60));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    try {
      assertThat(Files.readString(dir.resolve("out/README.txt"))).isEqualTo(GitFixture.README);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // every request the origin saw was a GET below /git/ through the intercepted tunnel
    assertThat(origin.received()).isNotEmpty();
    assertThat(origin.received()).allSatisfy(q -> assertThat(q.uri()).startsWith("/git/"));
  }

  @Test
  void gitClone_outsideThePathRule_isBlocked(@TempDir Path dir) {
    assumeTrue(ClientProcess.available("git"), "git not installed");
    Map<String, String> env = GitFixture.env(dir);
    env.put("GIT_SSL_CAINFO", CA_CERT.toString());
    env.put("https_proxy", gatehouse.proxyUrl());
    ClientProcess.Result r =
        ClientProcess.run(
            List.of(
                "git",
                "clone",
                "-q",
                "https://" + GIT + ":" + origin.port() + "/other/repo.git",
                dir.resolve("out").toString()),
            env,
            dir,
            Duration.ofSeconds(60));
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("403");
    assertThat(origin.requests()).isZero();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("gatehouse-ca-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
