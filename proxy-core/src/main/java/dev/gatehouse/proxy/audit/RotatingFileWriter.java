package dev.gatehouse.proxy.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;

/**
 * Appends lines to {@code audit.jsonl} and rotates by size: before a line would take the file past
 * {@code maxSize}, the file is fsynced and closed, {@code .N} becomes {@code .N+1} (the oldest,
 * {@code .keep}, is deleted), the file becomes {@code .1} (gzipped when asked) and a new file is
 * started. A single line larger than {@code maxSize} still goes into a file of its own: a record is
 * never cut. Bytes forced to disk are dropped from the page cache ({@link PageCacheDropper}), up to
 * a {@value #DROP_ALIGN}-byte boundary while the file is written (the page the next line goes into
 * stays, or appending would read it back), the whole file when it is closed.
 */
final class RotatingFileWriter implements LineWriter {
  private static final int BUFFER = 64 * 1024;
  // a multiple of every page size Linux uses (4 KiB, 16 KiB, 64 KiB)
  static final long DROP_ALIGN = 64 * 1024;

  private final Path file;
  private final long maxSize;
  private final int keep;
  private final boolean gzip;
  private final PageCacheDropper pageCache;
  private FileChannel channel;
  private OutputStream out;
  private long size;
  private long dropped; // bytes of the current file already dropped from the page cache

  RotatingFileWriter(Path file, long maxSize, int keep, boolean gzip) throws IOException {
    this(file, maxSize, keep, gzip, PageCacheDropper.system());
  }

  RotatingFileWriter(Path file, long maxSize, int keep, boolean gzip, PageCacheDropper pageCache)
      throws IOException {
    this.file = file.toAbsolutePath();
    this.maxSize = maxSize;
    this.keep = keep;
    this.gzip = gzip;
    this.pageCache = pageCache;
    Path dir = this.file.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    open();
  }

  private void open() throws IOException {
    createPrivate(file);
    channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    dropped = 0;
    out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
  }

  @Override
  public void write(byte[] line, int length) throws IOException {
    if (size > 0 && size + length > maxSize) {
      rotate();
    }
    out.write(line, 0, length);
    size += length;
  }

  @Override
  public void flush(boolean sync) throws IOException {
    out.flush();
    if (sync) {
      channel.force(false);
      long synced = size - size % DROP_ALIGN;
      if (synced > dropped) {
        pageCache.drop(file, dropped, synced);
        dropped = synced;
      }
    }
  }

  @Override
  public void close() throws IOException {
    close(true);
  }

  /** Flushes, forces and closes; {@code drop}: then all of the file leaves the page cache. */
  private void close(boolean drop) throws IOException {
    try {
      out.flush();
      channel.force(false);
    } finally {
      out.close();
    }
    if (drop) {
      pageCache.drop(file, dropped, 0);
    }
  }

  private void rotate() throws IOException {
    close(!gzip); // gzip reads it back first: it leaves the cache when it is deleted
    String suffix = gzip ? ".gz" : "";
    if (keep == 0) {
      Files.delete(file);
    } else {
      Files.deleteIfExists(rotated(keep, suffix));
      for (int i = keep - 1; i >= 1; i--) {
        Path from = rotated(i, suffix);
        if (Files.exists(from)) {
          Files.move(from, rotated(i + 1, suffix), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (gzip) {
        Path tmp = file.resolveSibling(file.getFileName() + ".1.gz.tmp");
        Files.deleteIfExists(tmp);
        createPrivate(tmp);
        try (InputStream in = Files.newInputStream(file);
            OutputStream z = new GZIPOutputStream(Files.newOutputStream(tmp), BUFFER)) {
          in.transferTo(z);
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          c.force(true);
        }
        Files.move(tmp, rotated(1, suffix), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(file);
      } else {
        Files.move(file, rotated(1, suffix), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    open();
  }

  /**
   * Creates {@code path} readable by its owner and group only (rw-r-----) when it does not exist:
   * audit lines name agents, hosts and URLs. An existing file keeps its permissions.
   */
  private static void createPrivate(Path path) throws IOException {
    if (Files.exists(path)) {
      return;
    }
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(AUDIT_PERMISSIONS));
    } catch (UnsupportedOperationException e) {
      Files.createFile(path); // not a POSIX file system
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // created meanwhile: fine
    }
  }

  private static final java.util.Set<PosixFilePermission> AUDIT_PERMISSIONS =
      PosixFilePermissions.fromString("rw-r-----");

  private Path rotated(int index, String suffix) {
    return file.resolveSibling(file.getFileName() + "." + index + suffix);
  }
}
