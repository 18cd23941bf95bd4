package dev.gatehouse.proxy.audit;

import java.nio.file.Path;

/**
 * Tells the OS that a file's bytes, already forced to disk, will not be read again, so that their
 * pages leave the page cache now rather than when memory runs short. The audit writer does this
 * after each fsync: Gatehouse never reads its log back, and without it a log written at tens of MB
 * a second fills the page cache with pages that only push out what other processes use, and makes
 * the kernel find fresh pages for every write (in the bench's VM that tripled the writer's kernel
 * time per record; BENCHMARKS.md, session 5).
 */
interface PageCacheDropper {

  /**
   * Best effort, never throws: drops the cached pages wholly inside {@code [from, to)} of {@code
   * file} ({@code to == 0}: to the end). Pages still dirty stay.
   */
  void drop(Path file, long from, long to);

  PageCacheDropper NONE = (file, from, to) -> {};

  /** {@code posix_fadvise(POSIX_FADV_DONTNEED)} on Linux; {@link #NONE} where that is missing. */
  static PageCacheDropper system() {
    return Fadvise.load();
  }
}
