package dev.gatehouse.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures themselves: each one does what the proxy tests rely on. */
class FixturesIT {
  @RegisterExtension static final UpstreamServer upstream = UpstreamServer.http();

  @RegisterExtension
  static final UpstreamServer tlsUpstream = UpstreamServer.tls("origin.test", "git.test");

  @RegisterExtension
  static final TestDnsServer dns =
      TestDnsServer.create()
          .map("origin.test", "127.0.0.1")
          .map("multi.test", "127.0.0.1", "127.0.0.2", "::1")
          .map("mapped.test", "::ffff:127.0.0.2");

  @RegisterExtension final CanaryListener canary = CanaryListener.create();

  @Test
  void echo_returnsRequestAndRecordsIt() {
    try (RawClient c = RawClient.connect(upstream.address())) {
      c.send("GET /echo/x?q=1 HTTP/1.1\r\nHost: a\r\nX-Test: yes\r\n\r\n");
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).startsWith("GET /echo/x?q=1\n").contains("X-Test: yes");
      assertThat(r.header(UpstreamServer.NAME_HEADER)).isEqualTo("http");
      c.send("GET /bytes/100 HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.readResponse().body()).isEqualTo(UpstreamServer.expectedBytes(100));
      c.send("GET /chunked/5000 HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse chunked = c.readResponse();
      assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
      assertThat(chunked.body()).isEqualTo(UpstreamServer.expectedBytes(5000));
    }
    assertThat(upstream.connections()).isEqualTo(1);
    assertThat(upstream.requests()).isEqualTo(3);
    assertThat(upstream.received().get(0).header("x-test")).isEqualTo("yes");
  }

  @Test
  void resetMode_closesWithoutResponse() {
    upstream.mode(UpstreamServer.Mode.RESET);
    try (RawClient c = RawClient.connect(upstream.address())) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThatThrownBy(c::readResponse).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void slowMode_holdsUntilReleased() {
    upstream.mode(UpstreamServer.Mode.SLOW);
    try (RawClient c = RawClient.connect(upstream.address(), Duration.ofMillis(300))) {
      c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThatThrownBy(c::readResponse).hasRootCauseInstanceOf(SocketTimeoutException.class);
      assertThat(upstream.awaitHeld(1, Duration.ofSeconds(5))).isTrue();
      upstream.releaseSlow();
      c.socket().setSoTimeout(5000);
      assertThat(c.readResponse().status()).isEqualTo(200);
    } catch (SocketException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void staticFiles_servedBelowPrefixOnly(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("hello.txt"), "hi");
    upstream.serveDirectory("/files", dir);
    try (RawClient c = RawClient.connect(upstream.address())) {
      c.send("GET /files/hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.readResponse().bodyText()).isEqualTo("hi");
      c.send("GET /files/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(c.readResponse().status()).isEqualTo(404);
    }
  }

  @Test
  void tlsUpstream_trustedByCurlWithItsCa() {
    assumeTrue(ClientProcess.available("curl"), "curl not installed");
    ClientProcess.Result r =
        ClientProcess.run(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                tlsUpstream.caPem().toString(),
                "--resolve",
                "origin.test:" + tlsUpstream.port() + ":127.0.0.1",
                "https://origin.test:" + tlsUpstream.port() + "/echo"),
            Map.of(),
            null,
            Duration.ofSeconds(20));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("GET /echo");
  }

  @Test
  void gitDumbHttp_clonesFromTlsUpstreamDirectly(@TempDir Path dir) throws Exception {
    assumeTrue(ClientProcess.available("git"), "git not installed");
    GitFixture.createBareRepo(dir, dir.resolve("served"));
    tlsUpstream.serveDirectory("/git/", dir.resolve("served"));
    Map<String, String> env = GitFixture.env(dir);
    env.put("GIT_SSL_CAINFO", tlsUpstream.caPem().toString());
    ClientProcess.Result r =
        ClientProcess.run(
            List.of(
                "git",
                "-c",
                "http.curloptResolve=git.test:" + tlsUpstream.port() + ":127.0.0.1",
                "clone",
                "-q",
                "https://git.test:" + tlsUpstream.port() + "/git/repo.git",
                dir.resolve("out").toString()),
            env,
            dir,
            Duration.ofSeconds(30));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readString(dir.resolve("out/README.txt"))).isEqualTo(GitFixture.README);
  }

  @Test
  void dns_answersMappedNamesAndRecordsQueries() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      DnsNameResolver resolver =
          new DnsNameResolverBuilder(group.next())
              .datagramChannelType(NioDatagramChannel.class)
              .nameServerProvider(new SingletonDnsServerAddressStreamProvider(dns.address()))
              .queryTimeoutMillis(2000)
              .build();
      try {
        List<InetAddress> multi = resolver.resolveAll("multi.test").get(5, TimeUnit.SECONDS);
        assertThat(multi)
            .extracting(InetAddress::getHostAddress)
            .contains("127.0.0.1", "127.0.0.2");
        assertThatThrownBy(() -> resolver.resolve("nope.test").get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class);
        assertThat(dns.wasQueried("multi.test")).isTrue();
        assertThat(dns.wasQueried("nope.test")).isTrue();
        assertThat(dns.wasQueried("origin.test")).isFalse();
      } finally {
        resolver.close();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void dns_refusesNonLoopbackAnswers() {
    assertThatThrownBy(() -> TestDnsServer.create().map("x.test", "10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestDnsServer.create().map("x.test", "::ffff:10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canary_recordsEveryAddress() throws Exception {
    List<String> targets =
        canary.hasIpv6()
            ? List.of("127.0.0.2", "127.0.0.1", "::1")
            : List.of("127.0.0.2", "127.0.0.1");
    for (String host : targets) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(host), canary.port()), 2000);
      }
    }
    for (int i = 0; i < 100 && canary.hits().size() < targets.size(); i++) {
      Thread.sleep(10); // accept runs on the canary's event loop
    }
    assertThat(canary.hits()).hasSize(targets.size());
    assertThatThrownBy(canary::assertNoConnections).isInstanceOf(AssertionError.class);
    canary.clear();
  }
}
