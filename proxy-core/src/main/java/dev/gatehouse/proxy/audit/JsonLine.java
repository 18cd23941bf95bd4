package dev.gatehouse.proxy.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One audit line as UTF-8 JSON bytes, written straight into a reusable array: the writer thread
 * serialises every record into one of these and hands its bytes to the file, with no {@code
 * StringBuilder}, {@code String} or extra copy in between (issue 5; the writer's CPU per line fell
 * by about a fifth: BENCHMARKS.md, session 4). Plain ASCII values, nearly all of them, are checked
 * and copied in one pass; anything else goes through {@link Json}, so the escaping rules live in
 * one place. Not thread-safe.
 */
public final class JsonLine {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final int SECOND_PREFIX = "2026-11-27T01:02:03".length();
  private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private byte[] bytes;
  private int length;
  private StringBuilder scratch; // the rare value that is not plain ASCII
  // the date and time up to the second of the last timestamp: the next is usually the same second
  private long prefixSecond = Long.MIN_VALUE;
  private final byte[] prefix = new byte[SECOND_PREFIX];

  public JsonLine() {
    this(1024);
  }

  public JsonLine(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** Empties the line, keeping its array. */
  public void reset() {
    length = 0;
  }

  /** The line's bytes are {@code array()[0 .. length())}. */
  public byte[] array() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** Appends text the caller knows is ASCII and needs no escaping: keys, punctuation. */
  public JsonLine raw(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[length + i] = (byte) ascii.charAt(i);
    }
    length += n;
    return this;
  }

  /** Appends bytes the caller knows are JSON text: a {@link #key}, punctuation. */
  public JsonLine raw(byte[] json) {
    return bytes(json);
  }

  /** {@code ,"name":} (the name escaped) as bytes, made once, for {@link #raw(byte[])}. */
  public static byte[] key(String name) {
    StringBuilder s = new StringBuilder().append(',');
    Json.string(s, name);
    return s.append(':').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends one ASCII character the caller knows needs no escaping. */
  public JsonLine raw(char ascii) {
    ensure(1);
    bytes[length++] = (byte) ascii;
    return this;
  }

  /** Appends {@code value} as a JSON string literal, quotes included, or {@code null}. */
  public JsonLine string(String value) {
    if (value == null) {
      return bytes(NULL);
    }
    int n = value.length();
    ensure(n + 2);
    byte[] b = bytes;
    int p = length;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x7f || !Json.plain(c)) { // ASCII here; Json's rules decide what to escape
        return escaped(value); // nothing of the value was kept: length is unchanged
      }
      b[p++] = (byte) c;
    }
    b[p++] = '"';
    length = p;
    return this;
  }

  private JsonLine escaped(String value) {
    StringBuilder s = scratch();
    Json.string(s, value);
    return utf8(s);
  }

  /** Appends any value as {@link Json#value} writes it. */
  public JsonLine value(Object value) {
    if (value == null || value instanceof String) {
      return string((String) value);
    }
    StringBuilder s = scratch();
    Json.value(s, value);
    return utf8(s);
  }

  public JsonLine number(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return raw(Long.toString(value));
      }
      raw('-');
      value = -value;
    }
    ensure(19);
    int digits = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      digits++;
    }
    int p = length + digits;
    length = p;
    do {
      bytes[--p] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value > 0);
    return this;
  }

  public JsonLine bool(boolean value) {
    return bytes(value ? TRUE : FALSE);
  }

  /** Appends {@code t} as a quoted RFC 3339 UTC timestamp with milliseconds, as {@link Json}. */
  public JsonLine timestamp(Instant t) {
    long second = t.getEpochSecond();
    if (second < FIRST_SECOND || second > LAST_SECOND) {
      StringBuilder s = scratch().append('"'); // out of RFC 3339's years: as Json writes it
      Json.timestamp(s, t);
      return utf8(s.append('"'));
    }
    if (second != prefixSecond) {
      StringBuilder s = scratch();
      Json.timestamp(s, t);
      for (int i = 0; i < SECOND_PREFIX; i++) {
        prefix[i] = (byte) s.charAt(i);
      }
      prefixSecond = second;
    }
    ensure(SECOND_PREFIX + 7);
    bytes[length++] = '"';
    System.arraycopy(prefix, 0, bytes, length, SECOND_PREFIX);
    length += SECOND_PREFIX;
    int millis = t.getNano() / 1_000_000;
    bytes[length++] = '.';
    bytes[length++] = (byte) ('0' + millis / 100);
    bytes[length++] = (byte) ('0' + millis / 10 % 10);
    bytes[length++] = (byte) ('0' + millis % 10);
    bytes[length++] = 'Z';
    bytes[length++] = '"';
    return this;
  }

  /** The line as text (for the admin API and tests). */
  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private JsonLine bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  /** Appends already escaped JSON text, encoded as UTF-8. */
  private JsonLine utf8(CharSequence json) {
    return bytes(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private StringBuilder scratch() {
    if (scratch == null) {
      scratch = new StringBuilder(256);
    }
    scratch.setLength(0);
    return scratch;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
