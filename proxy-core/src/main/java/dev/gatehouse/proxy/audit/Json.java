package dev.gatehouse.proxy.audit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Hand-written JSON output for audit lines (no dependency for a dozen flat fields). Strings are
 * escaped per RFC 8259: quote, backslash and every control character (U+0000-U+001F, plus U+007F)
 * are escaped; U+2028/U+2029 too, so a line can be pasted into JavaScript; a lone surrogate is
 * written as its {@code \\uXXXX} escape so nothing is lost or replaced. Other non-ASCII characters
 * are written as themselves and the line is encoded as UTF-8.
 */
public final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /**
   * Appends {@code value} as a JSON string literal, quotes included. Runs of characters that need
   * no escape are appended in one piece (nearly every value is one such run: one bulk copy, not an
   * append per character).
   */
  public static void string(StringBuilder out, CharSequence value) {
    if (value instanceof String s) {
      string(out, s);
      return;
    }
    escaped(out, value, 0);
  }

  /**
   * {@link #string(StringBuilder, CharSequence)} for a {@code String}: the usual value has nothing
   * to escape and is found so in one tight scan and appended in one bulk copy.
   */
  public static void string(StringBuilder out, String value) {
    int n = value.length();
    int i = 0;
    while (i < n && plain(value.charAt(i))) {
      i++;
    }
    if (i == n) {
      out.append('"').append(value).append('"');
    } else {
      escaped(out, value, i);
    }
  }

  /** The quoted, escaped literal, knowing that the chars before {@code from} need no escape. */
  private static void escaped(StringBuilder out, CharSequence value, int from) {
    out.append('"');
    int n = value.length();
    int run = 0; // start of the pending run of plain characters
    for (int i = from; i < n; i++) {
      char c = value.charAt(i);
      if (plain(c)) {
        continue;
      }
      out.append(value, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
            run = i + 1;
          } else {
            unicodeEscape(out, c); // C0/C1 controls, DEL, U+2028/9, a lone surrogate
          }
        }
      }
    }
    out.append(value, run, n);
    out.append('"');
  }

  /**
   * Whether {@code c} goes into a JSON string as it is: not a quote, backslash, control character
   * (C0, DEL and C1: a CSI U+009B could drive a terminal showing the log), line or paragraph
   * separator, or surrogate.
   */
  static boolean plain(char c) {
    if (c < 0x7f) {
      return c >= 0x20 && c != '"' && c != '\\';
    }
    return c > 0x9f && c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c);
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  /**
   * Appends any value: null, String/CharSequence, Boolean, Number (finite; NaN and infinities as
   * strings), Instant (RFC 3339), Enum (lower case), Optional, Map (string keys), Collection,
   * arrays of objects; anything else as its {@code toString()} string.
   */
  public static void value(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      out.append(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(d);
      } else {
        string(out, Double.toString(d));
      }
    } else if (value instanceof Number n) {
      out.append(n.toString());
    } else if (value instanceof Instant t) {
      out.append('"');
      timestamp(out, t);
      out.append('"');
    } else if (value instanceof Enum<?> e) {
      string(out, e.name().toLowerCase(java.util.Locale.ROOT));
    } else if (value instanceof Optional<?> o) {
      value(out, o.orElse(null));
    } else if (value instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue());
      }
      out.append('}');
    } else if (value instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, o);
      }
      out.append(']');
    } else if (value instanceof Object[] a) {
      value(out, java.util.Arrays.asList(a));
    } else {
      string(out, value.toString());
    }
  }

  /** Appends {@code "key":} (key escaped) preceded by a comma unless at the object's start. */
  public static void key(StringBuilder out, String key) {
    char last = out.length() == 0 ? '{' : out.charAt(out.length() - 1);
    if (last != '{') {
      out.append(',');
    }
    string(out, key);
    out.append(':');
  }

  /** RFC 3339 UTC with milliseconds, e.g. {@code 2026-11-27T01:02:03.004Z}. */
  public static void timestamp(StringBuilder out, Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      out.append(t); // out of RFC 3339's range: ISO-8601 with sign, still unambiguous
      return;
    }
    pad(out, year, 4);
    out.append('-');
    pad(out, d.getMonthValue(), 2);
    out.append('-');
    pad(out, d.getDayOfMonth(), 2);
    out.append('T');
    pad(out, d.getHour(), 2);
    out.append(':');
    pad(out, d.getMinute(), 2);
    out.append(':');
    pad(out, d.getSecond(), 2);
    out.append('.');
    pad(out, t.getNano() / 1_000_000, 3);
    out.append('Z');
  }

  /** {@code value} (0 to 9999) in exactly {@code width} digits (2 to 4). */
  private static void pad(StringBuilder out, int value, int width) {
    if (width == 4) {
      out.append((char) ('0' + value / 1000));
      out.append((char) ('0' + value / 100 % 10));
    } else if (width == 3) {
      out.append((char) ('0' + value / 100 % 10));
    }
    out.append((char) ('0' + value / 10 % 10));
    out.append((char) ('0' + value % 10));
  }
}
