package dev.gatehouse.proxy.audit;

/**
 * Defence in depth for URLs that reach spans and audit lines: the pipeline already passes URLs
 * without query strings or credentials, but a record must never carry a token even if it did not.
 * Removes a query and a fragment, and any {@code user:password@} before the host.
 */
public final class UrlRedaction {
  private UrlRedaction() {}

  public static String redact(String url) {
    if (url.indexOf('?') < 0 && url.indexOf('#') < 0 && url.indexOf('@') < 0) {
      return url; // the usual case, in three bulk scans
    }
    int cut = url.length();
    int q = url.indexOf('?');
    if (q >= 0) {
      cut = q;
    }
    int f = url.indexOf('#');
    if (f >= 0 && f < cut) {
      cut = f;
    }
    String s = cut == url.length() ? url : url.substring(0, cut);
    int scheme = s.indexOf("://");
    int authorityStart = scheme >= 0 ? scheme + 3 : 0;
    int authorityEnd = s.indexOf('/', authorityStart);
    if (authorityEnd < 0) {
      authorityEnd = s.length();
    }
    int at = s.lastIndexOf('@', authorityEnd - 1);
    if (at >= authorityStart) {
      s = s.substring(0, authorityStart) + s.substring(at + 1);
    }
    return s;
  }
}
