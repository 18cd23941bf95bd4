package dev.gatehouse.proxy.observe;

import java.util.Locale;

/** The three shapes of call that get a span and an audit record each. */
public enum CallKind {
  /** A plain-HTTP forward-proxy request (absolute-form), or one decoded inside a tunnel. */
  HTTP,
  /** A CONNECT tunnel (one span for the whole tunnel). */
  TUNNEL,
  /** A request inside an intercepted tunnel: child of the tunnel's call. */
  INTERCEPTED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name in audit lines, spans and metric labels ({@code http}, {@code tunnel}, ...). */
  public String wireName() {
    return wireName;
  }
}
