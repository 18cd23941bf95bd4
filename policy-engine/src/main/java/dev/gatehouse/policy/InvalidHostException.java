package dev.gatehouse.policy;

/** A request host that is neither a valid DNS name nor an IP literal: answered with 400. */
public final class InvalidHostException extends IllegalArgumentException {
  public InvalidHostException(String message) {
    super(message);
  }
}
