package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit writer hands synced bytes back to the OS: which ranges, and that they do leave. */
class PageCacheDropTest {
  private static final long ALIGN = RotatingFileWriter.DROP_ALIGN;

  @TempDir Path dir;

  private record Drop(Path file, long from, long to) {}

  private static final class Recorder implements PageCacheDropper {
    final List<Drop> drops = new ArrayList<>();

    @Override
    public void drop(Path file, long from, long to) {
      drops.add(new Drop(file, from, to));
    }
  }

  private static byte[] line(int length) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) 'x');
    b[length - 1] = '\n';
    return b;
  }

  @Test
  void flush_dropsOnlySyncedWholeBlocks_andCloseDropsTheRest() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Recorder pages = new Recorder();
    RotatingFileWriter w = new RotatingFileWriter(file, 1L << 30, 2, false, pages);
    byte[] line = line(1000);
    for (int i = 0; i < 150; i++) { // 150,000 bytes: two whole blocks and part of a third
      w.write(line, line.length);
    }
    w.flush(false);
    assertThat(pages.drops).as("nothing forced to disk, nothing dropped").isEmpty();

    w.flush(true);
    Path abs = file.toAbsolutePath();
    assertThat(pages.drops).containsExactly(new Drop(abs, 0, 2 * ALIGN));

    w.flush(true);
    assertThat(pages.drops).as("the same range is not dropped twice").hasSize(1);

    for (int i = 0; i < 100; i++) { // 250,000 bytes: three whole blocks
      w.write(line, line.length);
    }
    w.flush(true);
    assertThat(pages.drops).last().isEqualTo(new Drop(abs, 2 * ALIGN, 3 * ALIGN));

    w.close();
    assertThat(pages.drops).last().isEqualTo(new Drop(abs, 3 * ALIGN, 0));
    assertThat(Files.size(file)).isEqualTo(250_000);
  }

  @Test
  void rotation_dropsTheRotatedFile_andStartsCountingAgain() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Recorder pages = new Recorder();
    byte[] line = line(1000);
    long max = 3 * ALIGN;
    RotatingFileWriter w = new RotatingFileWriter(file, max, 2, false, pages);
    while (pages.drops.isEmpty()) { // until the first rotation closes the file
      w.write(line, line.length);
    }
    Path abs = file.toAbsolutePath();
    assertThat(pages.drops).containsExactly(new Drop(abs, 0, 0));
    w.flush(true);
    assertThat(pages.drops).as("the new file is still under one block").hasSize(1);
    w.close();
    assertThat(Files.readAllLines(dir.resolve("audit.jsonl.1"), StandardCharsets.UTF_8))
        .hasSize((int) (max / line.length));
  }

  @Test
  void rotation_withGzip_leavesTheFileCachedForCompression() throws IOException {
    Recorder pages = new Recorder();
    byte[] line = line(1000);
    RotatingFileWriter w =
        new RotatingFileWriter(dir.resolve("audit.jsonl"), 2 * ALIGN, 2, true, pages);
    for (int i = 0; i < 200; i++) { // rotates once
      w.write(line, line.length);
    }
    assertThat(Files.exists(dir.resolve("audit.jsonl.1.gz"))).isTrue();
    assertThat(pages.drops).isEmpty();
    w.close();
    assertThat(pages.drops).hasSize(1);
  }

  /**
   * The real thing: after an fsync the file's pages are no longer resident (util-linux fincore).
   */
  @Test
  void system_dropsSyncedPagesFromThePageCache() throws Exception {
    PageCacheDropper system = PageCacheDropper.system();
    assumeTrue(system != PageCacheDropper.NONE, "posix_fadvise is not available here");
    assumeTrue(!"tmpfs".equals(Files.getFileStore(dir).type()), "tmpfs pages cannot be dropped");
    Path file = dir.resolve("audit.jsonl");
    RotatingFileWriter w = new RotatingFileWriter(file, 1L << 30, 2, false, system);
    byte[] line = line(4096);
    for (int i = 0; i < 1024; i++) { // 4 MiB
      w.write(line, line.length);
    }
    w.flush(false);
    Long before = residentBytes(file);
    assumeTrue(before != null, "fincore (util-linux) is not installed");
    assertThat(before).as("written, not yet synced: cached").isGreaterThan(2L << 20);

    w.flush(true);
    assertThat(residentBytes(file))
        .as("synced: dropped but for the last block")
        .isLessThanOrEqualTo(ALIGN);

    w.close();
    assertThat(residentBytes(file)).isZero();
    assertThat(Files.size(file)).isEqualTo(4L << 20);
  }

  /** Bytes of {@code file} in the page cache, or null when fincore cannot tell. */
  private static Long residentBytes(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder(
                  "fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return null;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.matches("\\d+")) {
      return null;
    }
    return Long.parseLong(out);
  }
}
