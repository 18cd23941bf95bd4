package dev.gatehouse.policy.match;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled path glob: {@code *} matches within one segment, {@code **} (a whole segment) matches
 * any number of segments including none, so {@code /v1/**} matches {@code /v1}, {@code /v1/} and
 * everything below, but not {@code /v1x}. Globs are normalised like request paths (see {@link
 * NormalizedPath}) when the policy is compiled, never per request.
 */
public final class PathGlob {
  private static final Object ANY_SEGMENTS = new Object();

  private final String text;

  /** Per glob segment: a literal String, a String[] of parts around {@code *}, or ANY_SEGMENTS. */
  private final Object[] segments;

  private PathGlob(String text, Object[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Compiles a glob as written in a rule.
   *
   * @throws IllegalArgumentException naming the glob and what is wrong with it
   */
  public static PathGlob compile(String glob) {
    if (glob.isEmpty() || glob.charAt(0) != '/') {
      throw bad(glob, "must start with /");
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '?' || c == '#') {
        throw bad(glob, "paths are matched without the query or fragment; remove '" + c + "'");
      }
      if (c <= 0x20 || c >= 0x7f || c == '\\') {
        throw bad(glob, "character '" + c + "' is not allowed (percent-encode it)");
      }
    }
    String normalized = NormalizedPath.decodeUnreserved(glob);
    if (normalized == null) {
      throw bad(glob, "has a % not followed by two hex digits");
    }
    String[] parts = normalized.substring(1).split("/", -1);
    Object[] segments = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String seg = parts[i];
      if (seg.equals(".") || seg.equals("..")) {
        throw bad(
            glob, "dot segments never match: request paths are matched after they are removed");
      }
      if (seg.equals("**")) {
        segments[i] = ANY_SEGMENTS;
      } else if (seg.contains("**")) {
        throw bad(glob, "** must be a whole segment (/a/**/b)");
      } else if (seg.indexOf('*') >= 0) {
        segments[i] = seg.split("\\*", -1);
      } else {
        segments[i] = seg;
      }
    }
    return new PathGlob(normalized, segments);
  }

  public boolean matches(NormalizedPath path) {
    if (path.isMalformed()) {
      return false;
    }
    String[] p = path.segments();
    int g = segments.length;
    // reach[j]: the glob prefix handled so far matches the first j path segments
    boolean[] reach = new boolean[p.length + 1];
    reach[0] = true;
    for (int i = 0; i < g; i++) {
      Object seg = segments[i];
      boolean[] next = new boolean[p.length + 1];
      boolean any = false;
      if (seg == ANY_SEGMENTS) {
        boolean on = false;
        for (int j = 0; j <= p.length; j++) {
          on |= reach[j];
          next[j] = on;
          any |= on;
        }
      } else {
        for (int j = 0; j < p.length; j++) {
          if (reach[j] && segmentMatches(seg, p[j], path.isOpaque(j))) {
            next[j + 1] = true;
            any = true;
          }
        }
      }
      if (!any) {
        return false;
      }
      reach = next;
    }
    return reach[p.length];
  }

  private static boolean segmentMatches(Object glob, String segment, boolean opaque) {
    if (glob instanceof String literal) {
      return literal.equals(segment);
    }
    if (opaque) {
      return false; // '*' never matches a segment holding an encoded slash or backslash
    }
    String[] parts = (String[]) glob;
    String first = parts[0];
    String last = parts[parts.length - 1];
    if (segment.length() < first.length() + last.length()
        || !segment.startsWith(first)
        || !segment.endsWith(last)) {
      return false;
    }
    int pos = first.length();
    int end = segment.length() - last.length();
    for (int k = 1; k < parts.length - 1; k++) {
      int at = segment.indexOf(parts[k], pos);
      if (at < 0 || at + parts[k].length() > end) {
        return false;
      }
      pos = at + parts[k].length();
    }
    return true;
  }

  /** True when this glob matches every path {@code other} matches (only the obvious cases). */
  public boolean covers(PathGlob other) {
    if (text.equals(other.text)) {
      return true;
    }
    List<Object> mine = new ArrayList<>(List.of(segments));
    // "/**" covers everything; "/a/**" covers globs that start with the literal segment "a"
    if (mine.get(mine.size() - 1) != ANY_SEGMENTS) {
      return false;
    }
    int prefix = mine.size() - 1;
    if (other.segments.length < prefix) {
      return false;
    }
    for (int i = 0; i < prefix; i++) {
      if (!(mine.get(i) instanceof String lit) || !lit.equals(other.segments[i])) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException bad(String glob, String why) {
    return new IllegalArgumentException("path \"" + glob + "\": " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
