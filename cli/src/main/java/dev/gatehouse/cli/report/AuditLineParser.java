package dev.gatehouse.cli.report;

/**
 * A strict, allocation-light JSON object parser for audit lines: reads the keys the report needs
 * into an {@link AuditEntry} and validates and skips every other value (nested objects and arrays
 * included). Rejects anything that is not exactly one JSON object, so a truncated or corrupted line
 * is counted as malformed rather than half-read.
 */
final class AuditLineParser {
  private static final int MAX_DEPTH = 64;

  private String s;
  private int i;
  private final StringBuilder buf = new StringBuilder(256);

  /** Parses {@code line} into {@code out}; false when the line is not a valid JSON object. */
  boolean parse(String line, AuditEntry out) {
    out.reset();
    s = line;
    i = 0;
    try {
      ws();
      expect('{');
      ws();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          ws();
          int key = key();
          ws();
          expect(':');
          ws();
          field(key, out);
          ws();
          char c = next();
          if (c == '}') {
            break;
          }
          if (c != ',') {
            return false;
          }
        }
      }
      ws();
      return i == s.length();
    } catch (Malformed | IndexOutOfBoundsException e) {
      return false;
    }
  }

  private static final String[] KEYS = {
    "ts",
    "type",
    "agent",
    "method",
    "url",
    "host",
    "port",
    "decision",
    "reason",
    "rule",
    "kind",
    "tls",
    "status",
    "enforced"
  };

  /**
   * Reads an object key and returns its index in {@link #KEYS}, or -1 for any other key, without
   * allocating: keys are compared in place (a key with escapes is never one of ours).
   */
  private int key() {
    expect('"');
    int start = i;
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '\\' || c < 0x20) {
        i = start - 1;
        skipString();
        return -1;
      }
      i++;
    }
    int len = i - start;
    i++;
    for (int k = 0; k < KEYS.length; k++) {
      String key = KEYS[k];
      if (key.length() == len && s.startsWith(key, start)) {
        return k;
      }
    }
    return -1;
  }

  private void field(int key, AuditEntry out) {
    switch (key) {
      case 0 -> out.tsMillis = AuditTimestamp.epochMillis(stringOrNull());
      case 1 -> out.type = stringOrNull();
      case 2 -> out.agent = stringOrNull();
      case 3 -> out.method = stringOrNull();
      case 4 -> out.url = stringOrNull();
      case 5 -> out.host = stringOrNull();
      case 6 -> out.port = (int) integerOrMinus1();
      case 7 -> out.decision = stringOrNull();
      case 8 -> out.reason = stringOrNull();
      case 9 -> out.rule = stringOrNull();
      case 10 -> out.kind = stringOrNull();
      case 11 -> out.tls = stringOrNull();
      case 12 -> out.status = (int) integerOrMinus1();
      case 13 -> out.enforced = !"false".equals(literalOrSkip());
      default -> skipValue(0);
    }
  }

  // ---- values

  private String stringOrNull() {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    if (peek() != '"') {
      skipValue(0);
      return null;
    }
    return string();
  }

  private long integerOrMinus1() {
    char c = peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      int start = i;
      number();
      try {
        return Long.parseLong(s, start, i, 10);
      } catch (NumberFormatException e) {
        return -1; // a fraction or exponent: valid JSON, not a port or status
      }
    }
    skipValue(0);
    return -1;
  }

  /** For booleans: returns "true"/"false"/"null", or skips another value and returns null. */
  private String literalOrSkip() {
    char c = peek();
    if (c == 't') {
      literal("true");
      return "true";
    }
    if (c == 'f') {
      literal("false");
      return "false";
    }
    skipValue(0);
    return null;
  }

  private void skipValue(int depth) {
    if (depth > MAX_DEPTH) {
      throw Malformed.INSTANCE;
    }
    char c = peek();
    switch (c) {
      case '"' -> skipString();
      case '{' -> {
        i++;
        ws();
        if (peek() == '}') {
          i++;
          return;
        }
        while (true) {
          ws();
          skipString();
          ws();
          expect(':');
          ws();
          skipValue(depth + 1);
          ws();
          char d = next();
          if (d == '}') {
            return;
          }
          if (d != ',') {
            throw Malformed.INSTANCE;
          }
        }
      }
      case '[' -> {
        i++;
        ws();
        if (peek() == ']') {
          i++;
          return;
        }
        while (true) {
          ws();
          skipValue(depth + 1);
          ws();
          char d = next();
          if (d == ']') {
            return;
          }
          if (d != ',') {
            throw Malformed.INSTANCE;
          }
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    if (peek() == '0') {
      i++;
    } else {
      digits();
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      digits();
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      digits();
    }
    if (i == start) {
      throw Malformed.INSTANCE;
    }
  }

  private void digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == start) {
      throw Malformed.INSTANCE;
    }
  }

  private void literal(String word) {
    if (!s.startsWith(word, i)) {
      throw Malformed.INSTANCE;
    }
    i += word.length();
  }

  private String string() {
    expect('"');
    int start = i;
    // fast path: no escapes
    while (true) {
      char c = s.charAt(i);
      if (c == '"') {
        return s.substring(start, i++);
      }
      if (c == '\\') {
        break;
      }
      if (c < 0x20) {
        throw Malformed.INSTANCE;
      }
      i++;
    }
    buf.setLength(0);
    buf.append(s, start, i);
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return buf.toString();
      }
      if (c < 0x20) {
        throw Malformed.INSTANCE;
      }
      if (c != '\\') {
        buf.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> buf.append(e);
        case 'b' -> buf.append('\b');
        case 'f' -> buf.append('\f');
        case 'n' -> buf.append('\n');
        case 'r' -> buf.append('\r');
        case 't' -> buf.append('\t');
        case 'u' -> {
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i++), 16);
            if (d < 0) {
              throw Malformed.INSTANCE;
            }
            v = v * 16 + d;
          }
          buf.append((char) v);
        }
        default -> throw Malformed.INSTANCE;
      }
    }
  }

  private void skipString() {
    expect('"');
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        throw Malformed.INSTANCE;
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (Character.digit(s.charAt(i++), 16) < 0) {
              throw Malformed.INSTANCE;
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          throw Malformed.INSTANCE;
        }
      }
    }
  }

  private void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      i++;
    }
  }

  private char peek() {
    if (i >= s.length()) {
      throw Malformed.INSTANCE;
    }
    return s.charAt(i);
  }

  private char next() {
    return s.charAt(i++);
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw Malformed.INSTANCE;
    }
    i++;
  }

  /** See {@link AuditTimestamp#epochMillis}; kept here for the parser's tests. */
  static long timestamp(String ts) {
    return AuditTimestamp.epochMillis(ts);
  }

  /** Control flow for a malformed line; no stack trace, one shared instance. */
  private static final class Malformed extends RuntimeException {
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super("malformed audit line", null, false, false);
    }
  }
}
