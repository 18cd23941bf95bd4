package dev.gatehouse.proxy.telemetry;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/HTTP trace receiver on 127.0.0.1 (port 0): decodes {@code ExportTraceServiceRequest}
 * protobufs posted to {@code /v1/traces} and keeps each span with its resource attributes.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** A received span, its attributes as strings, with its resource's attributes. */
  public record Received(Span span, Map<String, String> attributes, Map<String, String> resource) {}

  private final HttpServer server;
  private final BlockingQueue<Received> spans = new LinkedBlockingQueue<>();
  private final BlockingQueue<ExportTraceServiceRequest> requests = new LinkedBlockingQueue<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  public OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            ExportTraceServiceRequest request =
                ExportTraceServiceRequest.parseFrom(in.readAllBytes());
            requests.add(request);
            for (ResourceSpans rs : request.getResourceSpansList()) {
              Map<String, String> resource = strings(rs.getResource().getAttributesList());
              for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                  spans.add(new Received(s, strings(s.getAttributesList()), resource));
                }
              }
            }
            byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  private static Map<String, String> strings(List<KeyValue> kvs) {
    Map<String, String> m = new HashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      String s =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
          };
      m.put(kv.getKey(), s);
    }
    return m;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  /** Waits for the next span (bounded). */
  public Received next(long timeout, TimeUnit unit) throws InterruptedException {
    return spans.poll(timeout, unit);
  }

  /** Waits for the next whole request (bounded). */
  public ExportTraceServiceRequest nextRequest(long timeout, TimeUnit unit)
      throws InterruptedException {
    return requests.poll(timeout, unit);
  }

  public List<String> contentTypes() {
    return contentTypes;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
