package dev.gatehouse.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** SNI parsing on real ClientHellos made by the JDK's TLS engine. */
class ClientHelloTest {

  private static byte[] clientHello(String sni) throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, null, null);
    SSLEngine engine = sni == null ? tls.createSSLEngine() : tls.createSSLEngine(sni, 443);
    engine.setUseClientMode(true);
    if (sni != null) {
      SSLParameters p = engine.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(sni)));
      engine.setSSLParameters(p);
    }
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  @Test
  void parse_realClientHello_givesTheServerName() throws Exception {
    ClientHello.Result r =
        ClientHello.parse(Unpooled.wrappedBuffer(clientHello("api.example.test")));
    assertThat(r).isEqualTo(new ClientHello.Hello("api.example.test"));
  }

  @Test
  void parse_withoutSni_givesNull() throws Exception {
    ClientHello.Result r = ClientHello.parse(Unpooled.wrappedBuffer(clientHello(null)));
    assertThat(r).isEqualTo(new ClientHello.Hello(null));
  }

  @Test
  void parse_doesNotConsumeTheBytes() throws Exception {
    ByteBuf b = Unpooled.wrappedBuffer(clientHello("a.test"));
    int before = b.readableBytes();
    ClientHello.parse(b);
    assertThat(b.readableBytes()).isEqualTo(before);
  }

  @Test
  void parse_everyPrefix_needsMoreUntilComplete() throws Exception {
    byte[] hello = clientHello("split.example.test");
    for (int n = 0; n < hello.length; n++) {
      ByteBuf prefix = Unpooled.wrappedBuffer(hello, 0, n);
      assertThat(ClientHello.parse(prefix))
          .as("prefix %d", n)
          .isInstanceOf(ClientHello.NeedMore.class);
    }
  }

  @Test
  void parse_helloSplitAcrossTwoRecords_isReassembled() throws Exception {
    byte[] hello = clientHello("two.records.test");
    int len = hello.length - 5;
    int first = len / 2;
    ByteBuf b = Unpooled.buffer();
    b.writeBytes(new byte[] {22, 3, 1}).writeShort(first).writeBytes(hello, 5, first);
    b.writeBytes(new byte[] {22, 3, 1})
        .writeShort(len - first)
        .writeBytes(hello, 5 + first, len - first);
    assertThat(ClientHello.parse(b)).isEqualTo(new ClientHello.Hello("two.records.test"));
  }

  @Test
  void parse_notTls_isMalformed() {
    assertThat(ClientHello.parse(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes())))
        .isInstanceOf(ClientHello.Malformed.class);
    assertThat(ClientHello.parse(Unpooled.wrappedBuffer(new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0})))
        .isInstanceOf(ClientHello.Malformed.class); // a ServerHello, not a ClientHello
  }

  @Test
  void parse_lengthsPointingPastTheMessage_isMalformedNotAnException() throws Exception {
    byte[] hello = clientHello("x.test");
    // corrupt the session id length to claim more bytes than the message has
    hello[5 + 4 + 2 + 32] = (byte) 0xff;
    assertThat(ClientHello.parse(Unpooled.wrappedBuffer(hello)))
        .isInstanceOf(ClientHello.Malformed.class);
  }

  @Test
  void sniffHttp_recognisesRequestLines() {
    assertThat(TunnelSniffer.sniffHttp(Unpooled.copiedBuffer("GET / HTTP/1.1".getBytes())))
        .isEqualTo(TunnelSniffer.Sniff.YES);
    assertThat(TunnelSniffer.sniffHttp(Unpooled.copiedBuffer("POS".getBytes())))
        .isEqualTo(TunnelSniffer.Sniff.MAYBE);
    assertThat(TunnelSniffer.sniffHttp(Unpooled.copiedBuffer("SSH-2.0-OpenSSH".getBytes())))
        .isEqualTo(TunnelSniffer.Sniff.NO);
    assertThat(TunnelSniffer.sniffHttp(Unpooled.copiedBuffer(" GET".getBytes())))
        .isEqualTo(TunnelSniffer.Sniff.NO);
  }
}
