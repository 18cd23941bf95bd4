package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.observe.CallObserver;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Hot reload of the policy file (SPEC §7). Watches the file's directory rather than the file, and
 * on any event there compares the file's content hash, so it follows editors' atomic renames and
 * Kubernetes ConfigMap updates (a {@code ..data} symlink swapped in the directory); a periodic poll
 * catches what the watch misses (network file systems, a replaced directory). Loading and compiling
 * run on the reloader's own thread, never on an event loop; the new policy is swapped in
 * atomically. An invalid file never replaces the running policy: the errors are logged with
 * file:line:col and counted.
 */
public final class PolicyReloader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PolicyReloader.class.getName());
  private static final long DEBOUNCE_MILLIS = 100;
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

  private final Path file;
  private final PolicyHolder holder;
  private final UnaryOperator<String> env;
  private final CallObserver observer;
  private final ProxyMetrics metrics;
  private final long pollMillis;
  private final ScheduledExecutorService executor;
  private WatchService watch;
  private Thread watcher;
  private ScheduledFuture<?> pendingEvent;
  private byte[] lastHash;

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

  /** Starts watching; {@code initialContent} is what the running policy was loaded from. */
  public void start() {
    executor.execute(() -> lastHash = hashOrNull());
    if (pollMillis > 0) {
      executor.scheduleWithFixedDelay(
          this::reloadQuietly, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }
    try {
      watch = FileSystems.getDefault().newWatchService();
      file.getParent()
          .register(
              watch,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
      watcher = new Thread(this::watchLoop, "gatehouse-policy-watch");
      watcher.setDaemon(true);
      watcher.start();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot watch " + file.getParent() + "; polling only: " + e);
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          relevant |= concernsPolicy(event);
        }
        key.reset();
        if (relevant) {
          executor.execute(this::scheduleDebounced);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  /**
   * Whether a directory event may have changed the policy: the file itself (edits, editors' atomic
   * renames) or Kubernetes' {@code ..data}-style entries (ConfigMap symlink swaps); an overflow
   * could be anything. Other files in the directory — an audit log written beside the policy, for
   * one — would otherwise wake the reloader on every write. The content hash still decides whether
   * anything changed.
   */
  private boolean concernsPolicy(WatchEvent<?> event) {
    if (event.kind() == StandardWatchEventKinds.OVERFLOW || !(event.context() instanceof Path p)) {
      return true;
    }
    return p.equals(file.getFileName()) || p.toString().startsWith("..");
  }

  private void scheduleDebounced() {
    if (pendingEvent == null || pendingEvent.isDone()) {
      pendingEvent = executor.schedule(this::reloadQuietly, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
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
      next = PolicyLoading.fromFile(file, env);
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
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    if (watcher != null) {
      watcher.interrupt();
    }
    executor.shutdownNow();
  }
}
