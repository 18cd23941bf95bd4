package dev.gatehouse.proxy.observe;

/** The three shapes of call that get a span and an audit record each. */
public enum CallKind {
  /** A plain-HTTP forward-proxy request (absolute-form), or one decoded inside a tunnel. */
  HTTP,
  /** A CONNECT tunnel (one span for the whole tunnel). */
  TUNNEL,
  /** A request inside an intercepted tunnel: child of the tunnel's call. */
  INTERCEPTED
}
