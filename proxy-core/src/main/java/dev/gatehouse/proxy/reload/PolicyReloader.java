package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.observe.CallObserver;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Hot reload of the policy file (SPEC §7). Every {@value #CHECK_MILLIS} ms it reads the file's
 * size, modification time and inode (one {@code stat}, following symlinks), so it follows in-place
 * edits, editors' atomic renames and Kubernetes ConfigMap updates (a {@code ..data} symlink swapped
 * in the directory); once a change has held still for one more check, the content hash decides
 * whether to reload. A slower full-hash poll catches what metadata misses (a same-size write within
 * the file system's timestamp granularity). No inotify watch: a directory watch wakes two JDK
 * threads on every write to any file beside the policy — an audit log there, for one — which cost a
 * tenth of the proxy's CPU on keep-alive interception (BENCHMARKS.md). Loading and compiling run on
 * the reloader's own thread, never on an event loop; the new policy is swapped in atomically. An
 * invalid file never replaces the running policy: the errors are logged with file:line:col and
 * counted.
 */
public final class PolicyReloader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PolicyReloader.class.getName());
  static final long CHECK_MILLIS = 250;
  private static final byte[] UNREADABLE = new byte[0];

  /** What a reload attempt did. */
  public record Result(
      Outcome outcome, String oldVersion, String newVersion, RuleDiff diff, List<String> errors) {
    public Result {
      errors = List.copyOf(errors);
    }
  }

  public enum Outcome {
    RELOADED,
    UNCHANGED,
    FAILED
  }

  /** What one {@code stat} says about the file; null fields when it cannot be read. */
  private record Signature(long size, FileTime modified, Object fileKey) {
    static final Signature MISSING = new Signature(-1, null, null);
  }

  private final Path file;
  private final PolicyHolder holder;
  private final UnaryOperator<String> env;
  private final CallObserver observer;
  private final ProxyMetrics metrics;
  private final long pollMillis;
  private final ScheduledExecutorService executor;
  // reloader thread only
  private byte[] lastHash;
  private Signature seen;
  private Signature settled;

  /**
   * @param pollMillis the full-hash safety poll's interval (0: none), besides the metadata check
   *     every {@value #CHECK_MILLIS} ms
   */
  public PolicyReloader(
      Path file,
      PolicyHolder holder,
      UnaryOperator<String> env,
      CallObserver observer,
      ProxyMetrics metrics,
      long pollMillis) {
    this.file = file.toAbsolutePath().normalize();
    this.holder = holder;
    this.env = env;
    this.observer = observer;
    this.metrics = metrics;
    this.pollMillis = pollMillis;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-policy-reload");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts checking the file; the running policy is taken to be its current content. */
  public void start() {
    // read here, before the first check is scheduled (which publishes them to the reloader
    // thread): a change right after start() must not become the baseline. `settled` stays null,
    // so the first check compares the content hash once.
    lastHash = hashOrNull();
    seen = signature();
    executor.scheduleWithFixedDelay(
        this::checkQuietly, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    if (pollMillis > 0) {
      executor.scheduleWithFixedDelay(
          this::reloadQuietly, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Reloads when the metadata changed since the last reload and has held still since the previous
   * check, so a file caught half-written is read once it is complete.
   */
  private void checkQuietly() {
    Signature now = signature();
    boolean stable = now.equals(seen);
    seen = now;
    if (stable && !now.equals(settled)) {
      settled = now;
      reloadQuietly();
    }
  }

  private Signature signature() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Signature(a.size(), a.lastModifiedTime(), a.fileKey());
    } catch (IOException e) {
      return Signature.MISSING;
    }
  }

  private void reloadQuietly() {
    try {
      reload(false);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "policy reload of " + file + " failed", e);
    }
  }

  /** Reloads now (the admin API), even when the content hash did not change. */
  public CompletableFuture<Result> reloadNow() {
    return CompletableFuture.supplyAsync(() -> reload(true), executor);
  }

  private Result reload(boolean force) {
    synchronized (holder) { // never interleaved with a mode switch (PolicyHolder)
      return reloadHoldingPolicy(force);
    }
  }

  private Result reloadHoldingPolicy(boolean force) {
    String oldVersion = holder.current().engine().version();
    byte[] hash = hashOrNull();
    if (hash == null) {
      String why = "cannot read " + file;
      if (force || lastHash != UNREADABLE) {
        // once per disappearance, not on every poll
        metrics.reloaded(false);
        LOG.log(Level.WARNING, "policy reload: {0}; keeping version {1}", why, oldVersion);
        lastHash = UNREADABLE;
      }
      return new Result(Outcome.FAILED, oldVersion, oldVersion, empty(), List.of(why));
    }
    if (!force && lastHash != null && MessageDigest.isEqual(hash, lastHash)) {
      return new Result(Outcome.UNCHANGED, oldVersion, oldVersion, empty(), List.of());
    }
    lastHash = hash;
    ActivePolicy next;
    try {
      next = PolicyLoading.fromFile(file, env, holder.modeOverride()); // a live switch stays
    } catch (ConfigException e) {
      metrics.reloaded(false);
      List<String> errors = new ArrayList<>();
      for (Diagnostic d : e.diagnostics()) {
        errors.add(d.format());
      }
      LOG.log(
          Level.WARNING,
          "policy {0} is invalid; keeping version {1}:\n  {2}",
          file,
          oldVersion,
          String.join("\n  ", errors));
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("file", file.toString());
      fields.put("result", "failure");
      fields.put("old_version", oldVersion);
      fields.put("errors", errors);
      observer.record("policy_reload", fields);
      return new Result(Outcome.FAILED, oldVersion, oldVersion, empty(), errors);
    }
    ActivePolicy old = holder.swap(next);
    metrics.reloaded(true);
    RuleDiff diff = RuleDiff.between(old.engine().model(), next.engine().model());
    String newVersion = next.engine().version();
    LOG.log(
        Level.INFO,
        "policy {0} reloaded: version {1} -> {2}; rules added {3}, removed {4}, changed {5}",
        file,
        oldVersion,
        newVersion,
        diff.added(),
        diff.removed(),
        diff.changed());
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("file", file.toString());
    fields.put("result", "success");
    fields.put("old_version", oldVersion);
    fields.put("new_version", newVersion);
    fields.put("rules_added", diff.added());
    fields.put("rules_removed", diff.removed());
    fields.put("rules_changed", diff.changed());
    observer.record("policy_reload", fields);
    return new Result(Outcome.RELOADED, oldVersion, newVersion, diff, List.of());
  }

  private static RuleDiff empty() {
    return new RuleDiff(List.of(), List.of(), List.of());
  }

  private byte[] hashOrNull() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
