package dev.gatehouse.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the server name (SNI, RFC 6066 §3) from the first bytes of a TLS connection without
 * consuming them. The ClientHello may span several TLS records and TCP segments; bounded to 64 KiB.
 */
final class ClientHello {
  static final int MAX_HANDSHAKE = 65536;

  /** The outcome of looking at the bytes so far. */
  sealed interface Result {}

  /** Not enough bytes yet. */
  record NeedMore() implements Result {}

  /** Not a TLS ClientHello, or a broken one. */
  record Malformed(String why) implements Result {}

  /** A complete ClientHello; {@code serverName} is null when it carries no SNI. */
  record Hello(String serverName) implements Result {}

  static final NeedMore NEED_MORE = new NeedMore();

  private ClientHello() {}

  static Result parse(ByteBuf buf) {
    int idx = buf.readerIndex();
    int end = buf.writerIndex();
    byte[] hs = new byte[0];
    int hsLen = -1;
    while (true) {
      if (end - idx < 5) {
        return NEED_MORE;
      }
      if (buf.getUnsignedByte(idx) != 22) {
        return new Malformed("not a TLS handshake record");
      }
      if (buf.getUnsignedByte(idx + 1) != 3) {
        return new Malformed("unknown TLS record version");
      }
      int len = buf.getUnsignedShort(idx + 3);
      if (len == 0 || len > 16384 + 2048) {
        return new Malformed("bad TLS record length " + len);
      }
      if (end - idx - 5 < len) {
        return NEED_MORE;
      }
      byte[] grown = new byte[hs.length + len];
      System.arraycopy(hs, 0, grown, 0, hs.length);
      buf.getBytes(idx + 5, grown, hs.length, len);
      hs = grown;
      idx += 5 + len;
      if (hsLen < 0 && hs.length >= 4) {
        if (hs[0] != 1) {
          return new Malformed("the first handshake message is not a ClientHello");
        }
        hsLen = (hs[1] & 0xff) << 16 | (hs[2] & 0xff) << 8 | (hs[3] & 0xff);
        if (hsLen > MAX_HANDSHAKE) {
          return new Malformed("ClientHello too large");
        }
      }
      if (hsLen >= 0 && hs.length >= 4 + hsLen) {
        return body(hs, 4, 4 + hsLen);
      }
    }
  }

  private static Result body(byte[] b, int p, int end) {
    try {
      p += 2 + 32; // client_version, random
      p = skip8(b, p, end); // session_id
      p = skip16(b, p, end); // cipher_suites
      p = skip8(b, p, end); // compression_methods
      if (p == end) {
        return new Hello(null); // no extensions at all
      }
      int extEnd = p + 2 + u16(b, p, end);
      check(extEnd, end);
      p += 2;
      while (p < extEnd) {
        int type = u16(b, p, extEnd);
        int len = u16(b, p + 2, extEnd);
        int dataEnd = p + 4 + len;
        check(dataEnd, extEnd);
        if (type == 0) {
          return new Hello(serverName(b, p + 4, dataEnd));
        }
        p = dataEnd;
      }
      return new Hello(null);
    } catch (IndexOutOfBoundsException e) {
      return new Malformed("truncated ClientHello");
    }
  }

  private static String serverName(byte[] b, int p, int end) {
    int listEnd = p + 2 + u16(b, p, end);
    check(listEnd, end);
    p += 2;
    while (p < listEnd) {
      int nameType = b[p] & 0xff;
      int len = u16(b, p + 1, listEnd);
      check(p + 3 + len, listEnd);
      if (nameType == 0) {
        return new String(b, p + 3, len, StandardCharsets.US_ASCII);
      }
      p += 3 + len;
    }
    return null;
  }

  private static int skip8(byte[] b, int p, int end) {
    check(p + 1, end);
    int next = p + 1 + (b[p] & 0xff);
    check(next, end);
    return next;
  }

  private static int skip16(byte[] b, int p, int end) {
    int next = p + 2 + u16(b, p, end);
    check(next, end);
    return next;
  }

  private static int u16(byte[] b, int p, int end) {
    check(p + 2, end);
    return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
  }

  private static void check(int p, int end) {
    if (p > end) {
      throw new IndexOutOfBoundsException();
    }
  }
}
