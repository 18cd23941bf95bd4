package dev.gatehouse.proxy.observe;

import java.util.Locale;

/** {@code gatehouse.tls}: how TLS was handled for a call. */
public enum TlsMode {
  NONE,
  TUNNEL,
  INTERCEPT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
