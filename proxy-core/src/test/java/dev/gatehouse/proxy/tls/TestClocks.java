package dev.gatehouse.proxy.tls;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock and a Caffeine ticker that move only when a test moves them, together. */
final class TestClocks {
  static final Instant START = Instant.parse("2026-11-27T01:00:00Z");

  private final AtomicLong offsetNanos = new AtomicLong();

  final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return START.plusNanos(offsetNanos.get());
        }
      };

  final Ticker ticker = offsetNanos::get;

  void advance(Duration d) {
    offsetNanos.addAndGet(d.toNanos());
  }
}
