package dev.gatehouse.cli.report;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streams the lines of audit files, current or rotated, gzipped or not (told by the gzip magic
 * bytes, not the name), one line in memory at a time.
 */
public final class AuditFiles {
  private static final int BUFFER = 1 << 16;

  private AuditFiles() {}

  /** Reads every line of every file into a new summary. */
  public static Summary summarise(ReportQuery query, List<Path> files) throws IOException {
    Summary summary =
        new Summary(query, files.stream().map(f -> String.valueOf(f.getFileName())).toList());
    AuditLineParser parser = new AuditLineParser();
    AuditEntry entry = new AuditEntry();
    for (Path file : files) {
      try (BufferedReader r = open(file)) {
        String line;
        while ((line = r.readLine()) != null) {
          summary.line(parser, line, entry);
        }
      }
    }
    return summary;
  }

  static BufferedReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    try {
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        in = new GZIPInputStream(in, BUFFER);
      }
      // invalid UTF-8 becomes U+FFFD: the line is still read (and probably malformed JSON)
      var decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
      return new BufferedReader(new InputStreamReader(in, decoder), BUFFER);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
