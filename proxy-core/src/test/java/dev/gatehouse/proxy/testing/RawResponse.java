package dev.gatehouse.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP response as read off the wire by {@link RawClient}. */
public record RawResponse(
    String version,
    int status,
    String reason,
    List<Map.Entry<String, String>> headers,
    byte[] body) {

  public RawResponse {
    headers = List.copyOf(headers);
  }

  public String header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  public boolean hasHeader(String name) {
    return header(name) != null;
  }

  /** Names of every header starting with {@code prefix} (any case). */
  public List<String> headerNamesStartingWith(String prefix) {
    return headers.stream()
        .map(Map.Entry::getKey)
        .filter(n -> n.regionMatches(true, 0, prefix, 0, prefix.length()))
        .toList();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** True when the response says the server will close the connection. */
  public boolean connectionClose() {
    String c = header("Connection");
    return c != null && c.toLowerCase(Locale.ROOT).contains("close");
  }

  @Override
  public String toString() {
    return version + " " + status + " " + reason + " " + headers + "\n" + bodyText();
  }
}
