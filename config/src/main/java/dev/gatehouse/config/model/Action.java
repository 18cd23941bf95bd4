package dev.gatehouse.config.model;

import java.util.Locale;

/** What a rule (or a default) does with a matching request. */
public enum Action {
  ALLOW,
  DENY,
  ASK;

  // made once: every call's span and audit line carries it
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The spelling used in YAML, headers, spans and audit records. */
  public String wireName() {
    return wireName;
  }
}
