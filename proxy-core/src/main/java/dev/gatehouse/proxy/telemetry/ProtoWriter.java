package dev.gatehouse.proxy.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol Buffers wire format into one growable byte array, for {@link CallSpanEncoder}. Only what
 * OTLP needs: varints, fixed 32/64, UTF-8 strings, hex ids as bytes, and nested messages whose
 * length is patched in when they end (room for a short length is kept in front; the body moves when
 * the length takes more or fewer bytes, so every length is encoded in its shortest form). Not
 * thread-safe; reused across exports.
 */
final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  /** Bytes kept for a nested message's length: 2 covers bodies below 16 KiB. */
  private static final int RESERVED = 2;

  private byte[] buf;
  private int pos;

  ProtoWriter(int capacity) {
    buf = new byte[Math.max(capacity, 64)];
  }

  void reset() {
    pos = 0;
  }

  int size() {
    return pos;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** A copy of what was written from {@code start} on. */
  byte[] copyFrom(int start) {
    return Arrays.copyOfRange(buf, start, pos);
  }

  /** Writes what was written since the last {@link #reset}. */
  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  /** An unsigned varint: tags, lengths, enum numbers (never a negative int32 field). */
  void varint(int value) {
    varint(value & 0xFFFFFFFFL);
  }

  void varint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
  }

  static int varintSize(long value) {
    return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
  }

  void fixed64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void fixed32(int value) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
  }

  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /**
   * A length-delimited field holding {@code s} in UTF-8 (Java's replacement for lone surrogates).
   */
  void string(int field, String s) {
    tag(field, LEN);
    bytes(utf8(s));
  }

  /**
   * {@code s} in UTF-8, lone surrogates as {@code ?}. The JDK's encoder checks and copies an ASCII
   * string in bulk: faster than a loop over its chars, even with the short-lived array.
   */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Length and {@code bytes}, without a tag. */
  void bytes(byte[] bytes) {
    varint(bytes.length);
    raw(bytes);
  }

  /** A length-delimited field holding the bytes that the lower-case hex {@code id} spells. */
  void hexBytes(int field, String id) {
    tag(field, LEN);
    int n = id.length() / 2;
    varint(n);
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) ((hex(id, 2 * i) << 4) | hex(id, 2 * i + 1));
    }
  }

  private static int hex(String id, int i) {
    char c = id.charAt(i);
    int v = c < HEX.length ? HEX[c] : -1;
    if (v < 0) {
      throw new IllegalArgumentException("not a lower-case hex id: " + id);
    }
    return v;
  }

  // digit values by char, -1 for anything else: a lookup, where comparisons mispredict on ids
  private static final byte[] HEX = new byte['f' + 1];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = (byte) (c - 'a' + 10);
    }
  }

  /** Starts a nested message in {@code field}; returns the mark to {@link #end} it with. */
  int begin(int field) {
    tag(field, LEN);
    ensure(RESERVED);
    int mark = pos;
    pos += RESERVED;
    return mark;
  }

  /** Ends the nested message begun at {@code mark}: writes its length in front of it. */
  void end(int mark) {
    int body = mark + RESERVED;
    int length = pos - body;
    int lengthSize = varintSize(length);
    if (lengthSize != RESERVED) {
      ensure(lengthSize - RESERVED);
      System.arraycopy(buf, body, buf, mark + lengthSize, length);
      pos += lengthSize - RESERVED;
    }
    int end = pos;
    pos = mark;
    varint(length);
    pos = end;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      grow(more); // apart, so that this check stays small enough to inline everywhere
    }
  }

  private void grow(int more) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
  }
}
