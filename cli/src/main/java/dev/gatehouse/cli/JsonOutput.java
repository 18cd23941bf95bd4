package dev.gatehouse.cli;

import dev.gatehouse.proxy.audit.Json;

/**
 * {@code --format json} output of the offline commands, written by the same JSON writer as the
 * audit log and the reports (one escaping of control characters and separators for the project).
 */
public final class JsonOutput {
  private JsonOutput() {}

  /** Maps, lists, strings, numbers, booleans and null as one line of JSON. */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    Json.value(out, value);
    return out.toString();
  }
}
