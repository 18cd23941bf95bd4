package dev.gatehouse.policy;

import java.util.Locale;

/**
 * Why a decision was made: the closed set of SPEC §2.5. The same values feed response headers,
 * spans, audit records and metrics.
 */
public enum Reason {
  RULE_ALLOW,
  RULE_DENY,
  RULE_ASK,
  DEFAULT_ALLOW,
  DEFAULT_DENY,
  DEFAULT_ASK,
  METHOD_NOT_ALLOWED,
  PATH_NOT_ALLOWED,
  PORT_NOT_ALLOWED,
  PRIVATE_ADDRESS,
  DENIED_CIDR,
  APPROVAL_GRANTED,
  APPROVAL_DENIED,
  APPROVAL_TIMEOUT,
  AUTH_REQUIRED,
  AUTH_FAILED,
  BAD_REQUEST,
  UPSTREAM_ERROR;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** {@code rule_allow}, {@code private_address}, ...: the spelling on the wire. */
  public String wireName() {
    return wireName;
  }
}
