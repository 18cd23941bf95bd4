package dev.gatehouse.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.pipeline.TestContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata check on a real file system; no full-hash poll (interval 0), so only the {@code
 * stat} of the file can see a change.
 */
class PolicyReloaderTest {
  private static final String V1 =
      "version: 1\ndefaults: {action: deny}\nrules:\n  - id: a\n    allow: [a.example]\n";
  private static final String V2 =
      "version: 1\ndefaults: {action: deny}\nrules:\n  - id: b\n    allow: [b.example]\n";

  @TempDir Path dir;

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void inPlaceEdit_sameInode_isReloaded_andOtherFilesBesideItAreNot() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, V1);
    PolicyHolder holder = new PolicyHolder(PolicyLoading.fromFile(policy, k -> null));
    TestContexts.RecordingObserver observer = new TestContexts.RecordingObserver();
    try (PolicyReloader reloader =
        new PolicyReloader(
            policy, holder, k -> null, observer, new ProxyMetrics(new MetricsRegistry()), 0)) {
      reloader.start();
      String before = holder.current().engine().version();
      Object inode = Files.readAttributes(policy, "unix:ino").get("ino");

      // an audit log beside the policy, written busily: no reload record may come of it
      Path audit = dir.resolve("audit.jsonl");
      for (int i = 0; i < 20; i++) {
        Files.writeString(
            audit,
            "{}\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        Thread.sleep(30);
      }
      assertThat(observer.records).isEmpty();

      Files.writeString(policy, V2); // truncate and write: same inode
      assertThat(Files.readAttributes(policy, "unix:ino").get("ino")).isEqualTo(inode);
      await(() -> !holder.current().engine().version().equals(before));
      assertThat(holder.current().engine().model().rules().get(0).id().value()).isEqualTo("b");
      await(() -> observer.records.size() == 1);
    }
  }

  @Test
  void kubernetesConfigMapSymlinkSwap_isReloaded() throws Exception {
    // the layout kubelet writes: policy.yaml -> ..data/policy.yaml, ..data -> ..v1
    Files.createDirectory(dir.resolve("..v1"));
    Files.writeString(dir.resolve("..v1/policy.yaml"), V1);
    Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
    Path policy = dir.resolve("policy.yaml");
    Files.createSymbolicLink(policy, Path.of("..data/policy.yaml"));

    PolicyHolder holder = new PolicyHolder(PolicyLoading.fromFile(policy, k -> null));
    TestContexts.RecordingObserver observer = new TestContexts.RecordingObserver();
    try (PolicyReloader reloader =
        new PolicyReloader(
            policy, holder, k -> null, observer, new ProxyMetrics(new MetricsRegistry()), 0)) {
      reloader.start();
      String before = holder.current().engine().version();

      Files.createDirectory(dir.resolve("..v2"));
      Files.writeString(dir.resolve("..v2/policy.yaml"), V2);
      Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
      Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

      await(() -> !holder.current().engine().version().equals(before));
      assertThat(holder.current().engine().model().rules().get(0).id().value()).isEqualTo("b");
      await(() -> !observer.records.isEmpty());
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) observer.records.get(0).get("fields");
      assertThat(observer.records.get(0).get("type")).isEqualTo("policy_reload");
      assertThat(fields).containsEntry("rules_added", java.util.List.of("b"));
      assertThat(fields).containsEntry("rules_removed", java.util.List.of("a"));
      assertThat(fields).containsEntry("old_version", before);
    }
  }

  @Test
  void invalidFile_keepsTheRunningPolicy_andCountsAFailure() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, V1);
    PolicyHolder holder = new PolicyHolder(PolicyLoading.fromFile(policy, k -> null));
    MetricsRegistry registry = new MetricsRegistry();
    try (PolicyReloader reloader =
        new PolicyReloader(
            policy,
            holder,
            k -> null,
            new TestContexts.RecordingObserver(),
            new ProxyMetrics(registry),
            0)) {
      reloader.start();
      String before = holder.current().engine().version();
      Path tmp = dir.resolve(".policy.tmp");
      Files.writeString(
          tmp, "version: 1\nrules:\n  - id: x\n    allow: [\"api-*.example\"]\n    colour: red\n");
      Files.move(tmp, policy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      await(
          () -> registry.scrape().contains("gatehouse_policy_reloads_total{result=\"failure\"} 1"));
      assertThat(holder.current().engine().version()).isEqualTo(before);
      PolicyReloader.Result forced = reloader.reloadNow().get(10, TimeUnit.SECONDS);
      assertThat(forced.outcome()).isEqualTo(PolicyReloader.Outcome.FAILED);
      assertThat(forced.errors())
          .allSatisfy(e -> assertThat(e).startsWith(policy.toAbsolutePath().toString() + ":"));
    }
  }
}
