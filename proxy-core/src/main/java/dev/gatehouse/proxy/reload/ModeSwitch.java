package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.proxy.observe.CallObserver;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The live switch of {@code defaults.mode} (SPEC §7, {@code POST /v1/mode}): recompiles the policy
 * in force with the chosen mode and swaps it in, off the event loop, under the {@link
 * PolicyHolder}'s monitor so a reload in progress and a switch never undo each other. The override
 * outlives reloads (an operator who switched to {@code enforce} during an incident must not be
 * switched back by a policy edit) until it is cleared, which returns to the mode the policy
 * declares. Rules with their own {@code mode} keep it, as in the file. Every switch is an audit
 * record ({@code mode_switch}) and counted in {@code gatehouse_mode_switches_total}.
 */
public final class ModeSwitch {
  private static final System.Logger LOG = System.getLogger(ModeSwitch.class.getName());

  /** What a switch did; {@code overridden} false when the policy's own mode is in force. */
  public record Result(Mode oldMode, Mode newMode, boolean overridden, String policyVersion) {}

  private final PolicyHolder holder;
  private final UnaryOperator<String> env;
  private final CallObserver observer;

  public ModeSwitch(PolicyHolder holder, UnaryOperator<String> env, CallObserver observer) {
    this.holder = Objects.requireNonNull(holder, "holder");
    this.env = Objects.requireNonNull(env, "env");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** The mode in force and whether the admin API chose it. */
  public Result current() {
    synchronized (holder) {
      ActivePolicy p = holder.current();
      return new Result(
          p.mode(), p.mode(), holder.modeOverride().isPresent(), p.engine().version());
    }
  }

  /**
   * Runs the policy in {@code mode}, or in its own declared mode when empty. Compiles: call it off
   * the event loop.
   *
   * @throws ConfigException only if the policy in force no longer compiles (it did a moment ago)
   */
  public Result switchTo(Optional<Mode> mode) throws ConfigException {
    synchronized (holder) {
      ActivePolicy before = holder.current();
      Mode target = mode.orElse(before.declaredMode());
      if (target != before.mode()) {
        ActivePolicy next =
            PolicyLoading.compile(
                before.engine().model().withDefaultMode(before.declaredMode()), env, mode);
        holder.swap(next);
      }
      holder.modeOverride(mode);
      Result r = new Result(before.mode(), target, mode.isPresent(), before.engine().version());
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("old_mode", r.oldMode().wireName());
      fields.put("new_mode", r.newMode().wireName());
      fields.put("source", r.overridden() ? "admin" : "policy");
      fields.put("policy_version", r.policyVersion());
      observer.record("mode_switch", fields);
      LOG.log(
          Level.WARNING,
          "defaults.mode switched from {0} to {1} ({2}) through the admin API",
          r.oldMode().wireName(),
          r.newMode().wireName(),
          r.overridden() ? "overriding the policy until cleared" : "the policy's own mode");
      return r;
    }
  }
}
