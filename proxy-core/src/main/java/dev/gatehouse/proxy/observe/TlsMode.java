package dev.gatehouse.proxy.observe;

import java.util.Locale;

/** {@code gatehouse.tls}: how TLS was handled for a call. */
public enum TlsMode {
  NONE,
  TUNNEL,
  INTERCEPT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }
}
