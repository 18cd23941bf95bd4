package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An OTLP span exporter for Gatehouse's call spans: they are encoded by {@link CallSpanEncoder}
 * (one pass, no generic marshalling) and sent through the sender of the SDK's own OTLP exporter, as
 * configured by autoconfigure ({@link SenderTap}; for a plain {@code http://} endpoint, a {@link
 * PlainHttpSender} made from the same settings); any other span data, and flush and shutdown, go to
 * that SDK exporter. {@link #wrap} leaves every exporter that is not OTLP http/protobuf as it is
 * (gRPC keeps the SDK's marshaller: no test here has a gRPC receiver to check ours against). Issue
 * 5: the SDK's marshalling was the largest cost spans added to a call.
 */
final class CallSpanOtlpExporter implements SpanExporter {
  private static final Logger LOG = Logger.getLogger(CallSpanOtlpExporter.class.getName());
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final String PROTOBUF = "application/x-protobuf";
  // ~700 bytes per call span: room for a default batch of 2048 without growing
  private static final int INITIAL_REQUEST_BYTES = 2 << 20;
  private static final int MAX_IDLE_BUFFERS = 2;

  private final SpanExporter sdk;
  private final HttpSender sender;
  private final CallSpanEncoder encoder = new CallSpanEncoder();
  // request buffers not in flight: a buffer returns once its request succeeded (a failed or timed
  // out request may still be read by the sender, so its buffer is left to the garbage collector)
  private final Queue<ProtoWriter> idle = new ConcurrentLinkedQueue<>();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private volatile boolean shutdown;

  private CallSpanOtlpExporter(SpanExporter sdk, HttpSender sender) {
    this.sdk = sdk;
    this.sender = sender;
  }

  /** {@link #wrap(SpanExporter, boolean)} with a {@link PlainHttpSender} where it can serve. */
  static SpanExporter wrap(SpanExporter exporter) {
    return wrap(exporter, true);
  }

  /**
   * {@code exporter} with call spans encoded by Gatehouse when it is an OTLP http/protobuf
   * exporter: it is rebuilt from its own settings with a {@link SenderTap} and shut down; any other
   * exporter is returned as it is. {@code plainSender}: a plain {@code http://} endpoint is sent to
   * by {@link PlainHttpSender} (for the SDK's exporter too) rather than the SDK's OkHttp sender.
   */
  static SpanExporter wrap(SpanExporter exporter, boolean plainSender) {
    SenderTap tap = new SenderTap(plainSender);
    if (exporter instanceof OtlpHttpSpanExporter http) {
      OtlpHttpSpanExporter rebuilt = http.toBuilder().setComponentLoader(tap).build();
      http.shutdown();
      HttpSender sender = tap.httpSender();
      if (sender == null || !PROTOBUF.equals(tap.httpConfig().getContentType())) {
        return rebuilt;
      }
      return new CallSpanOtlpExporter(rebuilt, sender);
    }
    return exporter;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    List<CallSpan> calls = new ArrayList<>(spans.size());
    List<SpanData> others = new ArrayList<>(0);
    for (SpanData span : spans) {
      if (span instanceof CallSpan call) {
        calls.add(call);
      } else {
        others.add(span);
      }
    }
    if (others.isEmpty()) {
      return exportCalls(calls);
    }
    if (calls.isEmpty()) {
      return sdk.export(others);
    }
    return CompletableResultCode.ofAll(List.of(exportCalls(calls), sdk.export(others)));
  }

  private CompletableResultCode exportCalls(List<CallSpan> calls) {
    ProtoWriter request = idle.poll();
    if (request == null) {
      request = new ProtoWriter(INITIAL_REQUEST_BYTES);
    }
    try {
      synchronized (encoder) {
        encoder.encode(calls, request);
      }
    } catch (IllegalArgumentException e) {
      // an attribute type the encoder does not write (a sampler's or the resource's): the SDK can
      log("span batch handed to the SDK's marshaller: " + e.getMessage(), null);
      return sdk.export(new ArrayList<>(calls));
    }
    CompletableResultCode result = new CompletableResultCode();
    int n = calls.size();
    ProtoWriter sent = request;
    sender.send(
        new Message(sent),
        response -> {
          int status = response.getStatusCode();
          if (status >= 200 && status < 300) {
            if (idle.size() < MAX_IDLE_BUFFERS) {
              idle.offer(sent);
            }
            result.succeed();
          } else {
            failed(
                result, n, new IOException("HTTP " + status + " " + response.getStatusMessage()));
          }
        },
        error -> failed(result, n, error));
    return result;
  }

  private void failed(CompletableResultCode result, int spans, Throwable error) {
    log("failed to export " + spans + " spans over OTLP http/protobuf", error);
    result.failExceptionally(error);
  }

  private void log(String message, Throwable error) {
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
      LOG.log(Level.WARNING, message + " (logged at most every 30 s)", error);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return sdk.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return sdk.shutdown();
  }

  /** The sender call spans go out through (tests). */
  HttpSender sender() {
    return sender;
  }

  @Override
  public String toString() {
    return "CallSpanOtlpExporter{" + sdk + ", sender=" + sender.getClass().getSimpleName() + "}";
  }

  /** One encoded request; the sender may write it more than once (retries). */
  private record Message(ProtoWriter request) implements MessageWriter {
    @Override
    public void writeMessage(OutputStream out) throws IOException {
      request.writeTo(out);
    }

    @Override
    public int getContentLength() {
      return request.size();
    }
  }
}
