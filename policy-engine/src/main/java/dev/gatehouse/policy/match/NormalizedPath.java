package dev.gatehouse.policy.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A request path made comparable with path globs, computed once per request (SPEC §2.1, issue 2):
 *
 * <ol>
 *   <li>the query and fragment are cut off; an empty path is {@code /};
 *   <li>percent-escapes of unreserved characters (RFC 3986 §2.3: letters, digits, {@code -._~}) are
 *       decoded, so {@code %2e%2e} becomes {@code ..} <em>before</em> dot segments are removed;
 *       every other escape is kept, its hex digits in upper case ({@code %2f → %2F});
 *   <li>dot segments are removed (RFC 3986 §5.2.4): {@code /v1/../v2 → /v2}.
 * </ol>
 *
 * <p><b>Malformed</b> paths match no path glob (a rule with {@code paths} then misses with {@code
 * path_not_allowed}; rules without {@code paths} are unaffected): not starting with {@code /}, a
 * {@code %} not followed by two hex digits, a raw backslash, space, control or non-ASCII character,
 * or a segment that some server could still read as a dot segment — {@code ..;x} (Tomcat's path
 * parameters) or {@code .}/{@code ..} between encoded slashes ({@code ..%2F}).
 *
 * <p><b>Encoded slashes</b> ({@code %2F}) and backslashes ({@code %5C}) are never decoded: a
 * segment holding one is <em>opaque</em>. Only a {@code **} glob segment or a literal glob segment
 * spelled the same way matches it; {@code *} does not. Whatever an upstream later does with the
 * escape, the path stays inside the prefix a {@code /v1/**} glob names.
 */
public final class NormalizedPath {
  private static final NormalizedPath ROOT = new NormalizedPath("/", false);

  private final String value;
  private final boolean malformed;
  private String[] segments;
  private boolean[] opaque;

  private NormalizedPath(String value, boolean malformed) {
    this.value = value;
    this.malformed = malformed;
  }

  /** The normalised path, or the raw text when malformed. */
  public String value() {
    return value;
  }

  /** True when no path glob can match this path (see the class comment). */
  public boolean isMalformed() {
    return malformed;
  }

  public static NormalizedPath of(String raw) {
    int cut = raw.length();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '?' || c == '#') {
        cut = i;
        break;
      }
    }
    String s = cut == raw.length() ? raw : raw.substring(0, cut);
    if (s.isEmpty()) {
      return ROOT;
    }
    if (s.charAt(0) != '/') {
      return new NormalizedPath(raw, true);
    }
    boolean simple = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        return new NormalizedPath(raw, true);
      }
      if (c == '%' || c == ';' || (c == '.' && s.charAt(i - 1) == '/')) {
        // escapes, path parameters and dot segments need the full treatment below
        simple = false;
      }
    }
    if (simple) {
      return new NormalizedPath(s, false);
    }
    String decoded = decodeUnreserved(s);
    if (decoded == null) {
      return new NormalizedPath(raw, true);
    }
    String path = removeDotSegments(decoded);
    NormalizedPath result = new NormalizedPath(path, false);
    if (result.hasHiddenDotSegment()) {
      return new NormalizedPath(raw, true);
    }
    return result;
  }

  /** Decodes escapes of unreserved characters; upper-cases the rest; null on a bad escape. */
  static String decodeUnreserved(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= s.length()) {
        return null;
      }
      int hi = Character.digit(s.charAt(i + 1), 16);
      int lo = Character.digit(s.charAt(i + 2), 16);
      if (hi < 0 || lo < 0 || s.charAt(i + 1) >= 0x80 || s.charAt(i + 2) >= 0x80) {
        return null;
      }
      char decoded = (char) (hi * 16 + lo);
      if (isUnreserved(decoded)) {
        sb.append(decoded);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(s.charAt(i + 1)))
            .append(Character.toUpperCase(s.charAt(i + 2)));
      }
      i += 2;
    }
    return sb.toString();
  }

  static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /** RFC 3986 §5.2.4 for an absolute path. */
  static String removeDotSegments(String path) {
    String[] in = path.substring(1).split("/", -1);
    List<String> out = new ArrayList<>(in.length);
    for (int i = 0; i < in.length; i++) {
      boolean last = i == in.length - 1;
      String seg = in[i];
      if (seg.equals(".")) {
        if (last) {
          out.add("");
        }
      } else if (seg.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else {
        out.add(seg);
      }
    }
    return "/" + String.join("/", out);
  }

  private boolean hasHiddenDotSegment() {
    String[] segs = segments();
    for (String seg : segs) {
      if (isDotLike(seg)) {
        return true;
      }
      if (seg.indexOf('%') >= 0) {
        for (String piece : seg.split("%2F|%5C", -1)) {
          if (isDotLike(piece)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * {@code .} or {@code ..}, possibly followed by path parameters ({@code ;x}, also encoded as
   * {@code %3B}) or an encoded NUL that a C server would stop at.
   */
  private static boolean isDotLike(String seg) {
    if (seg.isEmpty() || seg.charAt(0) != '.') {
      return false;
    }
    int cut = seg.length();
    for (String stop : new String[] {";", "%3B", "%00"}) {
      int at = seg.indexOf(stop);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    return cut == 1 || (cut == 2 && seg.charAt(1) == '.');
  }

  /** The segments after the leading {@code /}: {@code /} is one empty segment. */
  String[] segments() {
    if (segments == null) {
      segments = value.substring(1).split("/", -1);
      opaque = new boolean[segments.length];
      for (int i = 0; i < segments.length; i++) {
        String seg = segments[i];
        opaque[i] = seg.indexOf('%') >= 0 && (seg.contains("%2F") || seg.contains("%5C"));
      }
    }
    return segments;
  }

  boolean isOpaque(int segment) {
    segments();
    return opaque[segment];
  }

  @Override
  public String toString() {
    return malformed ? value + " (malformed)" : value;
  }
}
