package dev.gatehouse.cli.report;

/**
 * A strict JSON cursor over one audit line: whitespace, punctuation, literals, numbers and strings,
 * read or validated and skipped in place (RFC 8259 grammar, no leniency). One instance is reused
 * for every line; the only allocations are the strings a caller asks for. A grammar error throws
 * the shared {@link Malformed}; running off the end of the line throws {@link
 * IndexOutOfBoundsException}: callers treat both as "not one valid JSON value".
 *
 * <p>Used by {@link AuditLineParser}, which walks the top-level object, {@link AuditFields}, which
 * reads the values the report needs, and {@link JsonSkipper}, which skips the others.
 */
final class JsonScanner {
  private String s;
  private int i;
  private final StringBuilder buf = new StringBuilder(256);

  /** Starts scanning {@code line} from its first character. */
  void reset(String line) {
    s = line;
    i = 0;
  }

  /** Whether every character has been consumed. */
  boolean atEnd() {
    return i == s.length();
  }

  void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      i++;
    }
  }

  char peek() {
    if (i >= s.length()) {
      throw Malformed.INSTANCE;
    }
    return s.charAt(i);
  }

  char next() {
    return s.charAt(i++);
  }

  void expect(char c) {
    if (s.charAt(i) != c) {
      throw Malformed.INSTANCE;
    }
    i++;
  }

  void literal(String word) {
    if (!s.startsWith(word, i)) {
      throw Malformed.INSTANCE;
    }
    i += word.length();
  }

  /**
   * Reads an object key and returns its index in {@code keys}, or -1 for any other key, without
   * allocating: keys are compared in place (a key with escapes is never one of ours).
   */
  int key(String[] keys) {
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
    for (int k = 0; k < keys.length; k++) {
      String key = keys[k];
      if (key.length() == len && s.startsWith(key, start)) {
        return k;
      }
    }
    return -1;
  }

  /**
   * Reads an integer value, or -1 for a valid number with a fraction or exponent (or one too large
   * for a long). The cursor must be at {@code -} or a digit.
   */
  long integerOrMinus1() {
    int start = i;
    number();
    try {
      return Long.parseLong(s, start, i, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  void number() {
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

  /** Reads a string value, unescaped; a substring of the line when it has no escapes. */
  String string() {
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

  /** Validates and skips a string without building it. */
  void skipString() {
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

  /** Control flow for a malformed line; no stack trace, one shared instance. */
  static final class Malformed extends RuntimeException {
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super("malformed audit line", null, false, false);
    }
  }
}
