package dev.gatehouse.config.model;

import java.util.Locale;

/** Enforce decisions, or only record them and let everything through (report mode). */
public enum Mode {
  ENFORCE,
  REPORT;

  // made once: every call's span and audit line carries it
  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
