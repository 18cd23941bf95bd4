package dev.gatehouse.config.model;

/** What happens to clients that send no credentials and match no agent by address. */
public enum AnonymousPolicy {
  /** 407 with {@code Proxy-Authenticate}. */
  DENY,
  /** Decided by the top-level rules only, as agent {@code anonymous}. */
  DEFAULT
}
