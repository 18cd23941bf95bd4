package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.proxy.testing.CanaryListener;
import dev.gatehouse.proxy.testing.ClientProcess;
import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.GitFixture;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import dev.gatehouse.proxy.testing.UpstreamServer;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients through the proxy, configured the way a sandbox configures them (proxy environment
 * variables or {@code -x}; SPEC §8 {@code env}): curl (HTTP, HTTPS via CONNECT), Python's urllib,
 * Java's HttpClient and {@code git clone} over git's dumb HTTP protocol. Origins are addressed by
 * {@code *.test} names that only the proxy can resolve (through the test DNS server), so a client
 * that bypassed the proxy would fail. A test is skipped only when its tool is not installed.
 */
class RealClientsIT {
  private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();
  @RegisterExtension static final UpstreamServer http = UpstreamServer.http();

  @RegisterExtension
  static final UpstreamServer tls = UpstreamServer.tls(TestPolicies.ORIGIN, TestPolicies.GIT);

  @RegisterExtension
  static final GatehouseExtension gatehouse =
      GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  @TempDir static Path work;

  private static String httpOrigin(String path) {
    return "http://" + TestPolicies.ORIGIN + ":" + http.port() + path;
  }

  private static String httpsOrigin(String path) {
    return "https://" + TestPolicies.ORIGIN + ":" + tls.port() + path;
  }

  private static Map<String, String> proxyEnv() {
    Map<String, String> env = new HashMap<>();
    for (String name : List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY")) {
      env.put(name, gatehouse.proxyUrl());
    }
    env.put("HOME", work.toString());
    return env;
  }

  private static ClientProcess.Result run(List<String> command, Map<String, String> env) {
    return ClientProcess.run(command, env, work, CLIENT_DEADLINE);
  }

  // ---- curl ----

  @Test
  void curl_http_viaDashX() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r =
        run(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "-x",
                gatehouse.proxyUrl(),
                httpOrigin("/echo/curl-x")),
            Map.of("HOME", work.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("GET /echo/curl-x");
    assertThat(http.lastRequest().hasHeader("Proxy-Connection")).isFalse();
  }

  @Test
  void curl_http_viaEnvironment() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r =
        run(List.of("curl", "-sS", "--max-time", "10", httpOrigin("/echo/curl-env")), proxyEnv());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("GET /echo/curl-env");
  }

  @Test
  void curl_https_viaConnect() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r =
        run(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                tls.caPem().toString(),
                httpsOrigin("/echo/curl-tls")),
            proxyEnv());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("GET /echo/curl-tls");
  }

  @Test
  void curl_blocked_showsGatehouseStatus() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    String denied = "http://" + TestPolicies.DENIED + ":" + http.port() + "/";
    ClientProcess.Result plain =
        run(
            List.of(
                "curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", denied),
            proxyEnv());
    assertThat(plain.stdout()).as(plain.toString()).isEqualTo("403");

    String deniedTls = "https://" + TestPolicies.DENIED + ":" + tls.port() + "/";
    ClientProcess.Result tunnel =
        run(
            List.of(
                "curl", "-sS", "--max-time", "10", "--cacert", tls.caPem().toString(), deniedTls),
            proxyEnv());
    assertThat(tunnel.exitCode()).as(tunnel.toString()).isNotZero();
    assertThat(tunnel.stderr()).contains("403");
    assertThat(http.connections() + tls.connections()).isZero();
  }

  // ---- Python urllib ----

  private static final String PYTHON_CLIENT =
      """
      import os, ssl, sys, urllib.error, urllib.request
      ctx = ssl.create_default_context(cafile=os.environ["TEST_CA"])
      opener = urllib.request.build_opener(
          urllib.request.ProxyHandler(), urllib.request.HTTPSHandler(context=ctx))
      for url in sys.argv[1:]:
          try:
              with opener.open(url, timeout=10) as r:
                  print(r.status, r.read().decode().splitlines()[0])
          except urllib.error.HTTPError as e:
              print(e.code, e.headers.get("Gatehouse-Reason"))
          except urllib.error.URLError as e:
              print("URLError", e.reason)
      """;

  @Test
  void pythonUrllib_httpAndHttps_allowedAndBlocked() throws IOException {
    assumeTrue(ClientProcess.available("python3"), "python3 not installed");
    Path script = work.resolve("client.py");
    Files.writeString(script, PYTHON_CLIENT);
    Map<String, String> env = proxyEnv();
    env.put("TEST_CA", tls.caPem().toString());
    ClientProcess.Result r =
        run(
            List.of(
                "python3",
                script.toString(),
                httpOrigin("/echo/py-http"),
                httpsOrigin("/echo/py-https"),
                "http://" + TestPolicies.DENIED + ":" + http.port() + "/",
                "https://" + TestPolicies.DENIED + ":" + tls.port() + "/"),
            env);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines).as(r.toString()).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("200 GET /echo/py-http");
    assertThat(lines.get(1)).isEqualTo("200 GET /echo/py-https");
    assertThat(lines.get(2)).isEqualTo("403 rule_deny");
    assertThat(lines.get(3)).startsWith("URLError").contains("403");
  }

  // ---- Java HttpClient ----

  private static HttpClient javaClient() {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(gatehouse.proxyAddress()))
        .sslContext(tls.certificates().clientContext())
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void javaHttpClient_httpAndHttps() throws Exception {
    HttpClient client = javaClient();
    HttpResponse<String> plain =
        client.send(
            HttpRequest.newBuilder(URI.create(httpOrigin("/echo/java-http")))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(plain.body()).startsWith("GET /echo/java-http");

    HttpResponse<String> secure =
        client.send(
            HttpRequest.newBuilder(URI.create(httpsOrigin("/echo/java-https")))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(secure.statusCode()).as(secure.body()).isEqualTo(200);
    assertThat(secure.body()).startsWith("GET /echo/java-https");
  }

  @Test
  void javaHttpClient_blocked() throws Exception {
    HttpClient client = javaClient();
    HttpResponse<String> plain =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + TestPolicies.DENIED + ":" + http.port() + "/"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(403);
    assertThat(plain.headers().firstValue("Gatehouse-Reason")).hasValue("rule_deny");
    assertThat(plain.body()).startsWith("GATEHOUSE_DECISION ");

    assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(
                            URI.create("https://" + TestPolicies.DENIED + ":" + tls.port() + "/"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("403");
  }

  // ---- git clone over git's dumb HTTP protocol ----

  @BeforeAll
  static void makeRepository() {
    if (ClientProcess.available("git")) {
      GitFixture.createBareRepo(work, work.resolve("served"));
      tls.serveDirectory("/git/", work.resolve("served"));
    }
  }

  private static Map<String, String> gitEnv() {
    return GitFixture.env(work);
  }

  @Test
  void gitClone_overHttpsDumbProtocol() throws IOException {
    assumeTrue(ClientProcess.available("git"), "git not installed");
    Map<String, String> env = gitEnv();
    env.put("GIT_SSL_CAINFO", tls.caPem().toString());
    Path out = work.resolve("clone-" + System.nanoTime());
    ClientProcess.Result r =
        run(
            List.of(
                "git",
                "-c",
                "http.proxy=" + gatehouse.proxyUrl(),
                "clone",
                "-q",
                "https://" + TestPolicies.GIT + ":" + tls.port() + "/git/repo.git",
                out.toString()),
            env);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(out.resolve("README.txt"))).isEqualTo(GitFixture.README);
    assertThat(Files.readString(out.resolve("dir/file.txt"))).isEqualTo(GitFixture.NESTED);
    assertThat(tls.received()).anyMatch(q -> q.uri().contains("/git/repo.git/objects/"));
  }

  @Test
  void gitClone_ofDeniedHost_failsWith403() {
    assumeTrue(ClientProcess.available("git"), "git not installed");
    Map<String, String> env = gitEnv();
    env.put("GIT_SSL_CAINFO", tls.caPem().toString());
    ClientProcess.Result r =
        run(
            List.of(
                "git",
                "-c",
                "http.proxy=" + gatehouse.proxyUrl(),
                "clone",
                "-q",
                "https://" + TestPolicies.DENIED + ":" + tls.port() + "/git/repo.git",
                work.resolve("denied-" + System.nanoTime()).toString()),
            env);
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains("403");
    assertThat(tls.connections()).isZero();
  }
}
