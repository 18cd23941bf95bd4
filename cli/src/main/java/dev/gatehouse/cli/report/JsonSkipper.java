package dev.gatehouse.cli.report;

/**
 * Validates and skips one JSON value the report does not read (unknown keys, nested {@code added}
 * lists, values of the wrong type), as strictly as if it were read, so a corrupted value still
 * makes its line malformed. Nesting is capped so a hostile line cannot overflow the stack.
 */
final class JsonSkipper {
  /** Nesting allowed inside a skipped value. */
  private static final int MAX_DEPTH = 64;

  private JsonSkipper() {}

  /** Skips the value at the cursor, nested objects and arrays included. */
  static void skipValue(JsonScanner in) {
    skipValue(in, 0);
  }

  private static void skipValue(JsonScanner in, int depth) {
    if (depth > MAX_DEPTH) {
      throw JsonScanner.Malformed.INSTANCE;
    }
    switch (in.peek()) {
      case '"' -> in.skipString();
      case '{' -> skipObject(in, depth);
      case '[' -> skipArray(in, depth);
      case 't' -> in.literal("true");
      case 'f' -> in.literal("false");
      case 'n' -> in.literal("null");
      default -> in.number();
    }
  }

  private static void skipObject(JsonScanner in, int depth) {
    in.next(); // '{'
    in.ws();
    if (in.peek() == '}') {
      in.next();
      return;
    }
    while (true) {
      in.ws();
      in.skipString();
      in.ws();
      in.expect(':');
      in.ws();
      skipValue(in, depth + 1);
      in.ws();
      char d = in.next();
      if (d == '}') {
        return;
      }
      if (d != ',') {
        throw JsonScanner.Malformed.INSTANCE;
      }
    }
  }

  private static void skipArray(JsonScanner in, int depth) {
    in.next(); // '['
    in.ws();
    if (in.peek() == ']') {
      in.next();
      return;
    }
    while (true) {
      in.ws();
      skipValue(in, depth + 1);
      in.ws();
      char d = in.next();
      if (d == ']') {
        return;
      }
      if (d != ',') {
        throw JsonScanner.Malformed.INSTANCE;
      }
    }
  }
}
