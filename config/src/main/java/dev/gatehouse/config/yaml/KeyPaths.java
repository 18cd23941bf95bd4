package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;
import java.util.Locale;

/**
 * Key paths as they appear in diagnostics: {@code rules[2].methods}, {@code agents.ci.rules[0]}.
 * List indexes are 0-based; the line and column say exactly where.
 */
public final class KeyPaths {
  private KeyPaths() {}

  public static String child(String parent, String key) {
    return parent.isEmpty() ? shown(key) : parent + "." + shown(key);
  }

  /**
   * File text as it may appear in a message: control characters escaped (a key holding a newline or
   * an ANSI escape must not forge output lines or colour a terminal) and long values cut.
   */
  public static String shown(String text) {
    StringBuilder out = new StringBuilder();
    int max = 80;
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= max) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (mustEscape(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** C0/C1 controls, line separators and bidi overrides ("Trojan Source"). */
  private static boolean mustEscape(char c) {
    return c < 0x20
        || (c >= 0x7f && c < 0xa0)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * An error whose message starts with the path it concerns ({@code rules[0]: unknown key 'x'}), so
   * the one-line {@code file:line:col: error: message} form names the key too.
   *
   * @param where the path the message is about (the parent for an unknown key), shown in the text
   * @param key the offending key path stored in {@link Diagnostic#key()}
   */
  public static Diagnostic error(Location location, String where, String key, String text) {
    return Diagnostic.error(location, key, prefixed(where, text));
  }

  public static Diagnostic warning(Location location, String where, String key, String text) {
    return Diagnostic.warning(location, key, prefixed(where, text));
  }

  private static String prefixed(String where, String text) {
    return where.isEmpty() ? text : where + ": " + text;
  }
}
