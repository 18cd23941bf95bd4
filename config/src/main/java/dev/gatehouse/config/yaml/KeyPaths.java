package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;

/**
 * Key paths as they appear in diagnostics: {@code rules[2].methods}, {@code agents.ci.rules[0]}.
 * List indexes are 0-based; the line and column say exactly where.
 */
public final class KeyPaths {
  private KeyPaths() {}

  public static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
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
