package dev.gatehouse.config.model;

import java.util.Locale;

/** Enforce decisions, or only record them and let everything through (report mode). */
public enum Mode {
  ENFORCE,
  REPORT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
