package dev.gatehouse.cli.report;

/**
 * A strict, allocation-light JSON object parser for audit lines: reads the keys the report needs
 * into an {@link AuditEntry} and validates and skips every other value (nested objects and arrays
 * included). Rejects anything that is not exactly one JSON object, so a truncated or corrupted line
 * is counted as malformed rather than half-read.
 *
 * <p>This class walks the top-level object; {@link JsonScanner} reads the tokens, {@link
 * AuditFields} maps keys to fields, {@link JsonSkipper} skips the values not read. Lines reach it
 * decoded, from {@link Summary#line}, after {@link Summary#skipWithoutDecoding} has passed over the
 * allowed calls a blocked-calls report does not need.
 */
final class AuditLineParser {
  private final JsonScanner in = new JsonScanner();

  /** Parses {@code line} into {@code out}; false when the line is not a valid JSON object. */
  boolean parse(String line, AuditEntry out) {
    out.reset();
    in.reset(line);
    try {
      in.ws();
      in.expect('{');
      in.ws();
      if (in.peek() == '}') {
        in.next();
      } else {
        while (true) {
          in.ws();
          int key = in.key(AuditFields.KEYS);
          in.ws();
          in.expect(':');
          in.ws();
          AuditFields.read(key, in, out);
          in.ws();
          char c = in.next();
          if (c == '}') {
            break;
          }
          if (c != ',') {
            return false;
          }
        }
      }
      in.ws();
      return in.atEnd();
    } catch (JsonScanner.Malformed | IndexOutOfBoundsException e) {
      return false;
    }
  }

  /** See {@link AuditTimestamp#epochMillis}; kept here for the parser's tests. */
  static long timestamp(String ts) {
    return AuditTimestamp.epochMillis(ts);
  }
}
