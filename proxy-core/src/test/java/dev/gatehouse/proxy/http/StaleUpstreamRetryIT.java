package dev.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.testing.GatehouseExtension;
import dev.gatehouse.proxy.testing.RawClient;
import dev.gatehouse.proxy.testing.RawResponse;
import dev.gatehouse.proxy.testing.TestDnsServer;
import dev.gatehouse.proxy.testing.TestPolicies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pooled upstream connection the server has given up on: an origin that answers the first request
 * on each connection with keep-alive, then closes the connection when the next request arrives (as
 * servers do when their idle timeout races the proxy's reuse).
 */
class StaleUpstreamRetryIT {
  @RegisterExtension static final TestDnsServer dns = TestPolicies.standardDns();

  @RegisterExtension
  final GatehouseExtension gatehouse = GatehouseExtension.withPolicy(TestPolicies.STANDARD, dns);

  private ServerSocket origin;
  private Thread acceptor;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void startOrigin() throws IOException {
    origin = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor =
        new Thread(
            () -> {
              while (!origin.isClosed()) {
                try {
                  Socket s = origin.accept();
                  connections.incrementAndGet();
                  Thread t = new Thread(() -> serveOnce(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serveOnce(Socket s) {
    try (s) {
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      readHead(in);
      // counted before answering: the client may read the answer before this thread runs again
      served.incrementAndGet();
      s.getOutputStream()
          .write(
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      readHead(in); // the next request on this connection: close without an answer
    } catch (IOException e) {
      // closed
    }
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    int match = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while ((c = in.read()) >= 0) {
      b.write(c);
      match = c == end[match] ? match + 1 : (c == '\r' ? 1 : 0);
      if (match == 4) {
        return;
      }
    }
    throw new SocketException("closed");
  }

  @AfterEach
  void stopOrigin() throws IOException {
    origin.close();
  }

  private String get(String path) {
    String authority = TestPolicies.ORIGIN + ":" + origin.getLocalPort();
    return "GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
  }

  @Test
  void idempotentRequestOnAStaleConnection_isRetriedOnceOnANewOne() {
    try (RawClient c = gatehouse.client()) {
      c.send(get("/one"));
      assertThat(c.readResponse().status()).isEqualTo(200);
      c.send(get("/two")); // goes to the pooled connection, which the origin then drops
      RawResponse second = c.readResponse();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.bodyText()).isEqualTo("ok");
    }
    assertThat(connections.get()).isEqualTo(2);
    assertThat(served.get()).isEqualTo(2);
  }

  @Test
  void postOnAStaleConnection_isNotRetried_502() {
    String authority = TestPolicies.ORIGIN + ":" + origin.getLocalPort();
    try (RawClient c = gatehouse.client()) {
      c.send(get("/one"));
      assertThat(c.readResponse().status()).isEqualTo(200);
      c.send(
          "POST http://"
              + authority
              + "/submit HTTP/1.1\r\nHost: "
              + authority
              + "\r\nContent-Length: 3\r\n\r\nabc");
      RawResponse r = c.readResponse();
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("Gatehouse-Reason")).isEqualTo("upstream_error");
    }
    assertThat(served.get()).isEqualTo(1);
  }
}
