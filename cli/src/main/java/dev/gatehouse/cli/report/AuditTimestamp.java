package dev.gatehouse.cli.report;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads an audit line's {@code ts}: RFC 3339 to epoch millis, with a fast path for Gatehouse's own
 * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (the layout of every line it writes) and any other offset or
 * precision through {@link OffsetDateTime}.
 */
final class AuditTimestamp {
  private AuditTimestamp() {}

  /** Epoch millis of {@code ts}, or {@link AuditEntry#NO_TIME} when it is null or not RFC 3339. */
  static long epochMillis(String ts) {
    if (ts == null) {
      return AuditEntry.NO_TIME;
    }
    if (ts.length() == 24
        && ts.charAt(4) == '-'
        && ts.charAt(7) == '-'
        && ts.charAt(10) == 'T'
        && ts.charAt(13) == ':'
        && ts.charAt(16) == ':'
        && ts.charAt(19) == '.'
        && ts.charAt(23) == 'Z') {
      int y = num(ts, 0, 4);
      int mo = num(ts, 5, 7);
      int d = num(ts, 8, 10);
      int h = num(ts, 11, 13);
      int mi = num(ts, 14, 16);
      int se = num(ts, 17, 19);
      int ms = num(ts, 20, 23);
      if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h < 24 && mi >= 0 && mi < 60
          && se >= 0 && se < 61 && ms >= 0) {
        try {
          long day = LocalDate.of(y, mo, d).toEpochDay();
          return ((day * 24 + h) * 60 + mi) * 60_000L + se * 1000L + ms;
        } catch (DateTimeException e) {
          return AuditEntry.NO_TIME;
        }
      }
    }
    try {
      return OffsetDateTime.parse(ts).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      return AuditEntry.NO_TIME;
    }
  }

  /** The decimal digits {@code s[from, to)}, or -1 if any is not a digit. */
  private static int num(String s, int from, int to) {
    int v = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
