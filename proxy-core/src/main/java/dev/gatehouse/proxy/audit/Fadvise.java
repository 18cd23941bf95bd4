package dev.gatehouse.proxy.audit;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link PageCacheDropper} through the C library's {@code posix_fadvise}, called with JNA (the JDK
 * has no API for it). The file is opened read-only for the call: the advice applies to the file's
 * cached pages, whichever descriptor names it. Linux only; elsewhere, or where JNA's native part
 * cannot load (a {@code noexec} temporary directory, say), the audit writer simply keeps the
 * kernel's default caching.
 */
final class Fadvise implements PageCacheDropper {
  private static final System.Logger LOG = System.getLogger(Fadvise.class.getName());
  // Linux's values on x86-64 and arm64 (asm-generic)
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int POSIX_FADV_DONTNEED = 4;

  private final AtomicBoolean failureLogged = new AtomicBoolean();

  private Fadvise() {}

  static PageCacheDropper load() {
    if (!Platform.isLinux()) {
      return NONE;
    }
    try {
      Libc.init(); // binds the natives, or throws
      return new Fadvise();
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.DEBUG, "posix_fadvise unavailable; audit pages stay in the page cache: {0}", e);
      return NONE;
    }
  }

  @Override
  public void drop(Path file, long from, long to) {
    if (to != 0 && to <= from) {
      return;
    }
    try {
      int fd = Libc.open(file.toString(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        logOnce(file, "open", "it returned " + fd);
        return;
      }
      try {
        int error = Libc.posix_fadvise(fd, from, to == 0 ? 0 : to - from, POSIX_FADV_DONTNEED);
        if (error != 0) {
          logOnce(file, "posix_fadvise", "errno " + error);
        }
      } finally {
        Libc.close(fd);
      }
    } catch (RuntimeException | LinkageError e) {
      // the writer calls this between fsync and rotation: a failure here must not stop either
      logOnce(file, "posix_fadvise", e.toString());
    }
  }

  private void logOnce(Path file, String call, String result) {
    if (failureLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "{0} failed for {1} ({2}); audit pages may stay in the page cache (logged once)",
          call,
          file,
          result);
    }
  }

  /** JNA direct mapping: static natives bound once, no per-call reflection. */
  private static final class Libc {
    static {
      Native.register(Libc.class, Platform.C_LIBRARY_NAME);
    }

    static void init() {}

    static native int open(String path, int flags);

    static native int posix_fadvise(int fd, long offset, long length, int advice);

    static native int close(int fd);
  }
}
