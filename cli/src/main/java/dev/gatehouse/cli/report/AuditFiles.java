package dev.gatehouse.cli.report;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Streams the lines of audit files, current or rotated, gzipped or not (told by the gzip magic
 * bytes, not the name). Lines are split on bytes and decoded only when the summary needs them (most
 * lines are allowed calls that a blocked-calls report skips), so memory holds one buffer, never a
 * file. A line longer than {@link #MAX_LINE} bytes is counted as malformed and skipped.
 */
public final class AuditFiles {
  static final int MAX_LINE = 16 * 1024 * 1024;
  private static final int BUFFER = 1 << 20;

  private AuditFiles() {}

  /** Reads every line of every file into a new summary. */
  public static Summary summarise(ReportQuery query, List<Path> files) throws IOException {
    Summary summary =
        new Summary(query, files.stream().map(f -> String.valueOf(f.getFileName())).toList());
    AuditLineParser parser = new AuditLineParser();
    AuditEntry entry = new AuditEntry();
    byte[] buf = new byte[BUFFER];
    for (Path file : files) {
      try (InputStream in = open(file)) {
        buf = lines(in, buf, summary, parser, entry);
      }
    }
    return summary;
  }

  private static byte[] lines(
      InputStream in, byte[] buf, Summary summary, AuditLineParser parser, AuditEntry entry)
      throws IOException {
    int start = 0; // first byte of the current line
    int end = 0; // bytes in buf
    int scan = 0; // where to look for the next newline
    boolean skipping = false; // inside an over-long line
    while (true) {
      int nl = -1;
      for (int i = scan; i < end; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl >= 0) {
        if (skipping) {
          skipping = false;
        } else {
          line(buf, start, nl, summary, parser, entry);
        }
        start = nl + 1;
        scan = start;
        continue;
      }
      scan = end;
      if (start > 0) { // move the partial line to the front
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scan -= start;
        start = 0;
      }
      if (end == buf.length) {
        if (buf.length >= MAX_LINE) { // over-long line: count it, drop what we have
          if (!skipping) {
            summary.overlong();
          }
          skipping = true;
          end = 0;
          scan = 0;
        } else {
          buf = Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
        }
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        if (end > start && !skipping) { // last line without a newline
          line(buf, start, end, summary, parser, entry);
        }
        return buf;
      }
      end += n;
    }
  }

  private static void line(
      byte[] buf, int from, int to, Summary summary, AuditLineParser parser, AuditEntry entry) {
    if (to > from && buf[to - 1] == '\r') {
      to--;
    }
    if (summary.skipWithoutDecoding(buf, from, to)) {
      return;
    }
    // invalid UTF-8 becomes U+FFFD: the line is still read (and probably malformed JSON)
    summary.line(parser, new String(buf, from, to - from, StandardCharsets.UTF_8), entry);
  }

  static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      if (b1 == 0x1f && b2 == 0x8b) {
        return new GZIPInputStream(in, 1 << 16);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
