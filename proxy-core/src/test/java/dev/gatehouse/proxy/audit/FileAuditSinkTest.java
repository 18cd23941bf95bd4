package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditSinkTest {
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

  @TempDir Path dir;

  private static AuditRecord seq(long n) {
    return out ->
        out.raw("{\"type\":\"test\",\"seq\":")
            .number(n)
            .raw(",\"pad\":")
            .string("x".repeat(200))
            .raw('}');
  }

  private static List<Long> seqs(List<String> lines) {
    List<Long> result = new ArrayList<>();
    for (String line : lines) {
      Matcher m = SEQ.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      result.add(Long.parseLong(m.group(1)));
    }
    return result;
  }

  @Test
  void concurrentProducers_withBackpressure_writeExactlyEveryRecordOnce() throws Exception {
    int producers = 8;
    int perProducer = 5_000;
    Path file = dir.resolve("audit.jsonl");
    // a tiny queue forces producers to wait for the writer: bounded backpressure, never loss
    AuditSink sink =
        AuditSink.file(
            new AuditFileOptions(
                file, 1L << 30, 3, false, 16, Duration.ofSeconds(30), Duration.ofSeconds(30)));
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long base = (long) p * perProducer;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perProducer; i++) {
                  sink.write(seq(base + i));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    sink.close();

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int n = producers * perProducer;
    assertThat(lines).hasSize(n);
    Set<Long> unique = new HashSet<>(seqs(lines));
    assertThat(unique).hasSize(n);
    assertThat(sink.written()).isEqualTo(n);
    assertThat(sink.lost()).isZero();
  }

  @Test
  void close_rightAfterWrites_flushesEveryRecord() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, 1L << 30, 2));
    for (int i = 0; i < 10_000; i++) {
      sink.write(seq(i));
    }
    sink.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(seqs(lines)).hasSize(10_000).startsWith(0L).endsWith(9_999L);
  }

  @Test
  void close_appendsToExistingFile() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"type\":\"test\",\"seq\":-1}\n");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, 1L << 30, 2));
    sink.write(seq(0));
    sink.close();
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void write_afterClose_countedLost() throws IOException {
    AuditSink sink = AuditSink.file(AuditFileOptions.of(dir.resolve("a.jsonl"), 1L << 20, 1));
    sink.close();
    sink.write(seq(1));
    sink.close();
    assertThat(sink.lost()).isEqualTo(1);
    assertThat(sink.written()).isZero();
  }

  @Test
  void rotation_bySize_keepsNewestFilesWithWholeLines() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    int keep = 2;
    long maxSize = 2048; // ~8 lines of ~240 bytes per file
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, maxSize, keep));
    int n = 100;
    for (int i = 0; i < n; i++) {
      sink.write(seq(i));
    }
    sink.close();

    assertThat(dir.resolve("audit.jsonl.1")).exists();
    assertThat(dir.resolve("audit.jsonl.2")).exists();
    assertThat(dir.resolve("audit.jsonl.3")).doesNotExist();
    List<Long> all = new ArrayList<>();
    for (String name : List.of("audit.jsonl.2", "audit.jsonl.1", "audit.jsonl")) {
      Path p = dir.resolve(name);
      assertThat(Files.size(p)).as(name).isLessThanOrEqualTo(maxSize).isPositive();
      all.addAll(seqs(Files.readAllLines(p)));
    }
    // the newest records, contiguous, oldest file first, ending with the last one written
    assertThat(all.get(all.size() - 1)).isEqualTo(n - 1L);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(all.get(i - 1) + 1);
    }
  }

  @Test
  void rotation_gzip_rotatedFilesAreGzippedAndComplete() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink =
        AuditSink.file(
            new AuditFileOptions(
                file, 2048, 50, true, 1024, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    int n = 60;
    for (int i = 0; i < n; i++) {
      sink.write(seq(i));
    }
    sink.close();
    List<Long> all = new ArrayList<>();
    for (int i = 50; i >= 1; i--) {
      Path p = dir.resolve("audit.jsonl." + i + ".gz");
      if (Files.exists(p)) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
          all.addAll(seqs(r.lines().toList()));
        }
      }
    }
    assertThat(dir.resolve("audit.jsonl.1")).doesNotExist();
    assertThat(dir.resolve("audit.jsonl.1.gz.tmp")).doesNotExist();
    all.addAll(seqs(Files.readAllLines(file)));
    assertThat(all).hasSize(n);
    assertThat(new HashSet<>(all)).hasSize(n);
  }

  @Test
  void rotation_keepZero_onlyCurrentFile() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, 1024, 0));
    for (int i = 0; i < 20; i++) {
      sink.write(seq(i));
    }
    sink.close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("audit.jsonl");
    }
    assertThat(seqs(Files.readAllLines(file))).endsWith(19L);
  }

  @Test
  void observer_recordAndDecision_oneLineEach() throws IOException {
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, 1L << 20, 1));
    AuditObserver audit = new AuditObserver(sink, java.time.Clock.systemUTC());
    audit.record("policy_reload", Map.of("result", "ok"));
    audit
        .begin(
            dev.gatehouse.proxy.observe.Calls.start(
                "r1", dev.gatehouse.proxy.observe.CallKind.HTTP))
        .end(dev.gatehouse.proxy.observe.Calls.allowedGet());
    sink.close();
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"type\":\"policy_reload\",\"result\":\"ok\"");
    assertThat(lines.get(1)).contains("\"type\":\"decision\",\"request_id\":\"r1\"");
  }

  @Test
  void newFiles_ownerAndGroupOnly() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("audit.jsonl");
    AuditSink sink = AuditSink.file(AuditFileOptions.of(file, 1024, 2));
    for (int i = 0; i < 20; i++) {
      sink.write(seq(i));
    }
    sink.close();
    for (String name : List.of("audit.jsonl", "audit.jsonl.1")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve(name))))
          .as(name)
          .isEqualTo("rw-r-----");
    }
  }
}
