package dev.gatehouse.proxy.reload;

import java.util.concurrent.atomic.AtomicReference;

/** The policy in force: read per request, swapped atomically by the reloader. */
public final class PolicyHolder {
  private final AtomicReference<ActivePolicy> current;

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
}
