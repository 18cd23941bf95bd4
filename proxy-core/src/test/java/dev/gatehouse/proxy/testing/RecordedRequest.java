package dev.gatehouse.proxy.testing;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request as an {@link UpstreamServer} received it: what the proxy actually forwarded.
 *
 * @param headers every header line in order, names as received
 * @param remote the connecting peer (the proxy's upstream side)
 */
public record RecordedRequest(
    String method,
    String uri,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    InetSocketAddress remote) {

  public RecordedRequest {
    headers = List.copyOf(headers);
  }

  /** True when a header of that name (any case) arrived. */
  public boolean hasHeader(String name) {
    return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
  }

  /** The first value of that header (any case), or null. */
  public String header(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return method + " " + uri + " " + headers;
  }
}
