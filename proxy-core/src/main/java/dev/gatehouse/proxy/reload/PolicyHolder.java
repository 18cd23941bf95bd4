package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.model.Mode;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy in force: read per request, swapped atomically by the reloader and the mode switch.
 * Those two update under this object's monitor, so a reload and a switch never undo each other;
 * requests only read {@link #current}, which never locks.
 */
public final class PolicyHolder {
  private final AtomicReference<ActivePolicy> current;
  private Mode modeOverride; // guarded by this; null: the policy's own defaults.mode

  public PolicyHolder(ActivePolicy initial) {
    this.current = new AtomicReference<>(initial);
  }

  public ActivePolicy current() {
    return current.get();
  }

  /** Installs {@code next}; returns the policy it replaced. */
  public ActivePolicy swap(ActivePolicy next) {
    return current.getAndSet(next);
  }

  /** The admin API's {@code defaults.mode}, which every reload keeps; empty: the policy's own. */
  public synchronized Optional<Mode> modeOverride() {
    return Optional.ofNullable(modeOverride);
  }

  synchronized void modeOverride(Optional<Mode> mode) {
    modeOverride = mode.orElse(null);
  }
}
