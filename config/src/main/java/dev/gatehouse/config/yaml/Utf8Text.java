package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The first step of {@link YamlReader}: a file's bytes to text, before SnakeYAML sees anything.
 * Accepts strict UTF-8 with an optional byte order mark; refuses UTF-16, binary data (a NUL byte)
 * and invalid UTF-8, each with the line and column where it starts.
 */
final class Utf8Text {
  private Utf8Text() {}

  /** The text, or {@code null} after adding the diagnostic that says why there is none. */
  static String decode(byte[] bytes, String source, List<Diagnostic> diagnostics) {
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3; // UTF-8 byte order mark
    }
    if (bytes.length >= 2
        && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
            || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
      diagnostics.add(
          Diagnostic.error(
              new Location(source, 1, 1),
              "",
              "not UTF-8 text: the file starts with a UTF-16 byte order mark; save it as UTF-8"));
      return null;
    }
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        diagnostics.add(
            Diagnostic.error(
                byteLocation(bytes, i, source),
                "",
                "binary data (a NUL byte at offset " + i + "); expected UTF-8 YAML text"));
        return null;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      diagnostics.add(
          Diagnostic.error(
              byteLocation(bytes, offset, source),
              "",
              String.format(
                  Locale.ROOT,
                  "not UTF-8 text: invalid byte 0x%02X at offset %d",
                  bytes[offset] & 0xff,
                  offset)));
      return null;
    }
    out.flip();
    return out.toString();
  }

  private static Location byteLocation(byte[] bytes, int offset, String source) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xc0) != 0x80) {
        column++; // count characters, not UTF-8 continuation bytes
      }
    }
    return new Location(source, line, column);
  }
}
