package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncAuditSinkTest {

  /** Blocks in the first write until released; records everything else. */
  static final class StalledWriter implements LineWriter {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean synced;
    volatile boolean closed;

    @Override
    public void write(byte[] line, int length) throws IOException {
      entered.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IOException("test never released the writer");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      lines.add(new String(line, 0, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush(boolean sync) {
      synced |= sync;
    }

    @Override
    public void close() {
      synced = true;
      closed = true;
    }
  }

  private static AuditRecord line(int n) {
    return out -> out.raw("{\"n\":").number(n).raw('}');
  }

  @Test
  void write_queueFullWithStalledWriter_countsLossAndKeepsTheRest() throws Exception {
    StalledWriter out = new StalledWriter();
    int capacity = 4;
    AsyncAuditSink sink = new AsyncAuditSink(out, capacity, Duration.ZERO, Duration.ofSeconds(30));

    sink.write(line(0));
    assertThat(out.entered.await(30, TimeUnit.SECONDS)).isTrue(); // writer holds record 0
    for (int i = 1; i <= capacity; i++) {
      sink.write(line(i)); // fills the queue
    }
    assertThat(sink.lost()).isZero();
    for (int i = 0; i < 3; i++) {
      sink.write(line(100 + i)); // no room, no waiting allowed: counted
    }
    assertThat(sink.lost()).isEqualTo(3);

    out.release.countDown();
    sink.close();
    assertThat(out.lines).hasSize(1 + capacity);
    assertThat(out.lines).noneMatch(l -> l.contains("10"));
    assertThat(sink.written()).isEqualTo(1 + capacity);
    assertThat(out.closed).isTrue();
  }

  @Test
  void write_queueFullWithBoundedWait_waitsForRoomInsteadOfLosing() throws Exception {
    StalledWriter out = new StalledWriter();
    AsyncAuditSink sink =
        new AsyncAuditSink(out, 1, Duration.ofSeconds(30), Duration.ofSeconds(30));
    sink.write(line(0));
    assertThat(out.entered.await(30, TimeUnit.SECONDS)).isTrue();
    sink.write(line(1)); // fills the queue
    CountDownLatch producerDone = new CountDownLatch(1);
    Thread producer =
        new Thread(
            () -> {
              sink.write(line(2)); // must wait for room
              producerDone.countDown();
            });
    producer.start();
    assertThat(producerDone.getCount()).isEqualTo(1);
    out.release.countDown();
    assertThat(producerDone.await(30, TimeUnit.SECONDS)).isTrue();
    sink.close();
    assertThat(out.lines).hasSize(3);
    assertThat(sink.lost()).isZero();
  }

  @Test
  void write_failingWriter_countsEveryFailedRecord() {
    LineWriter failing =
        new LineWriter() {
          @Override
          public void write(byte[] line, int length) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void flush(boolean sync) {}

          @Override
          public void close() {}
        };
    AsyncAuditSink sink =
        new AsyncAuditSink(failing, 16, Duration.ofSeconds(30), Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      sink.write(line(i));
    }
    sink.close();
    assertThat(sink.lost()).isEqualTo(5);
    assertThat(sink.written()).isZero();
  }

  @Test
  void write_recordThatCannotBeSerialised_countedLostAndTheNextOneWritten() {
    StalledWriter out = new StalledWriter();
    out.release.countDown();
    AsyncAuditSink sink = new AsyncAuditSink(out, 16, Duration.ZERO, Duration.ofSeconds(30));
    sink.write(
        line -> {
          throw new IllegalStateException("a record that cannot be written");
        });
    sink.write(line(7));
    sink.close();
    assertThat(sink.lost()).isEqualTo(1);
    assertThat(sink.written()).isEqualTo(1);
    assertThat(out.lines).containsExactly("{\"n\":7}\n");
  }

  @Test
  void write_recordsWhoseReadAheadFails_areStillWritten() {
    StalledWriter out = new StalledWriter();
    out.release.countDown();
    AsyncAuditSink sink = new AsyncAuditSink(out, 256, Duration.ZERO, Duration.ofSeconds(30));
    AuditRecord unreadable =
        new AuditRecord() {
          @Override
          public void writeJson(JsonLine line) {
            line.raw("{\"unreadable\":true}");
          }

          @Override
          public int touch() {
            throw new IllegalStateException("read-ahead failed");
          }
        };
    for (int i = 0; i < 100; i++) { // across more than one read-ahead window
      sink.write(i % 10 == 0 ? unreadable : line(i));
    }
    sink.close();
    assertThat(sink.lost()).isZero();
    assertThat(sink.written()).isEqualTo(100);
    assertThat(out.lines).filteredOn(l -> l.contains("unreadable")).hasSize(10);
  }
}
