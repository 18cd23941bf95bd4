package dev.gatehouse.proxy.pipeline;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: a random per-process prefix and a counter, so ids are unique across restarts and
 * cheap to make ({@code 5f3a9c2e-1b}).
 */
final class RequestIds {
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  RequestIds() {
    this.prefix = String.format("%08x-", new SecureRandom().nextInt());
  }

  String next() {
    return prefix + Long.toHexString(counter.incrementAndGet());
  }
}
