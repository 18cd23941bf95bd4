package dev.gatehouse.config.model;

import java.util.Objects;

/** {@code defaults:}: the action when no rule matches, and enforce or report mode. */
public record DefaultsModel(Action action, Mode mode) {
  public static final DefaultsModel SAFE = new DefaultsModel(Action.DENY, Mode.ENFORCE);

  public DefaultsModel {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(mode, "mode");
  }
}
