package dev.gatehouse.cli.report;

/**
 * Maps the keys of an audit line to the {@link AuditEntry} fields the report reads. A value of the
 * wrong type reads as absent (null, -1, or enforced) after being validated and skipped; any other
 * key is skipped. Stateless: {@link AuditLineParser} passes in its scanner.
 */
final class AuditFields {
  /**
   * The keys read, in the order of the cases in {@link #read}; found by {@link JsonScanner#key}.
   */
  static final String[] KEYS = {
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

  private AuditFields() {}

  /** Reads the value at the cursor into the field for {@code key}, an index into {@link #KEYS}. */
  static void read(int key, JsonScanner in, AuditEntry out) {
    switch (key) {
      case 0 -> out.tsMillis = AuditTimestamp.epochMillis(stringOrNull(in));
      case 1 -> out.type = stringOrNull(in);
      case 2 -> out.agent = stringOrNull(in);
      case 3 -> out.method = stringOrNull(in);
      case 4 -> out.url = stringOrNull(in);
      case 5 -> out.host = stringOrNull(in);
      case 6 -> out.port = (int) integerOrMinus1(in);
      case 7 -> out.decision = stringOrNull(in);
      case 8 -> out.reason = stringOrNull(in);
      case 9 -> out.rule = stringOrNull(in);
      case 10 -> out.kind = stringOrNull(in);
      case 11 -> out.tls = stringOrNull(in);
      case 12 -> out.status = (int) integerOrMinus1(in);
      case 13 -> out.enforced = !isFalse(in);
      default -> JsonSkipper.skipValue(in);
    }
  }

  private static String stringOrNull(JsonScanner in) {
    if (in.peek() == 'n') {
      in.literal("null");
      return null;
    }
    if (in.peek() != '"') {
      JsonSkipper.skipValue(in);
      return null;
    }
    return in.string();
  }

  /**
   * An integer, or -1 for a fraction or exponent (valid JSON, not a port or status) or a
   * non-number.
   */
  private static long integerOrMinus1(JsonScanner in) {
    char c = in.peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      return in.integerOrMinus1();
    }
    JsonSkipper.skipValue(in);
    return -1;
  }

  /**
   * Reads a value; true only for the literal {@code false} (so only that turns enforcement off).
   */
  private static boolean isFalse(JsonScanner in) {
    char c = in.peek();
    if (c == 't') {
      in.literal("true");
      return false;
    }
    if (c == 'f') {
      in.literal("false");
      return true;
    }
    JsonSkipper.skipValue(in);
    return false;
  }
}
