package dev.gatehouse.proxy.tls;

/**
 * The interception CA cannot be created, loaded or used; the message names the file and what to do
 * (for example "run gatehouse ca init").
 */
public final class CaException extends Exception {
  private static final long serialVersionUID = 1L;

  public CaException(String message) {
    super(message);
  }

  public CaException(String message, Throwable cause) {
    super(message, cause);
  }
}
