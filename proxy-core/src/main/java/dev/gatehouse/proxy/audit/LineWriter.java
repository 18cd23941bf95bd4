package dev.gatehouse.proxy.audit;

import java.io.IOException;

/** The writer thread's output: called from that one thread only. */
interface LineWriter {

  /**
   * Writes one line, {@code line[0 .. length)}, which already ends with a newline. The array is the
   * caller's to reuse once this returns.
   */
  void write(byte[] line, int length) throws IOException;

  /** Hands buffered lines to the OS; with {@code sync}, also forces them to the disk. */
  void flush(boolean sync) throws IOException;

  /** Flushes, forces to disk and closes. */
  void close() throws IOException;
}
