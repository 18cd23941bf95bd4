package dev.gatehouse.config.model;

import java.util.Locale;

/** What a rule (or a default) does with a matching request. */
public enum Action {
  ALLOW,
  DENY,
  ASK;

  /** The spelling used in YAML, headers, spans and audit records. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
