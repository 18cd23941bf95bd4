package dev.gatehouse.proxy.pipeline;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.proxy.http.UpstreamPool;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.net.AddressGuard;
import dev.gatehouse.proxy.net.TargetResolver;
import dev.gatehouse.proxy.net.Transport;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import dev.gatehouse.proxy.reload.ActivePolicy;
import dev.gatehouse.proxy.reload.PolicyHolder;
import dev.gatehouse.proxy.reload.PolicyLoading;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds proxy contexts and client pipelines on {@link EmbeddedChannel}s for handler tests. */
public final class TestContexts {
  private TestContexts() {}

  /** Records every call begun and ended, to check that each call ends exactly once. */
  public static final class RecordingObserver implements CallObserver {
    public final List<CallStart> starts = new CopyOnWriteArrayList<>();
    public final List<CallEnd> ends = new CopyOnWriteArrayList<>();
    public final List<Map<String, Object>> records = new CopyOnWriteArrayList<>();

    @Override
    public CallHandle begin(CallStart start) {
      starts.add(start);
      return new CallHandle() {
        private boolean ended;

        @Override
        public void event(String name, Map<String, String> attributes) {}

        @Override
        public void end(CallEnd end) {
          if (ended) {
            throw new AssertionError("call " + start.requestId() + " ended twice");
          }
          ended = true;
          ends.add(end);
        }
      };
    }

    @Override
    public void record(String type, Map<String, Object> fields) {
      records.add(Map.of("type", type, "fields", fields));
    }
  }

  public static ActivePolicy policy(String yaml, Map<String, String> env) {
    try {
      return PolicyLoading.compile(PolicyLoader.parse(yaml, "test.yaml"), env::get);
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  public static ProxyContext context(String yaml, CallObserver observer) {
    return context(yaml, Map.of(), observer, ServerConfig.defaults());
  }

  public static ProxyContext context(
      String yaml, Map<String, String> env, CallObserver observer, ServerConfig config) {
    Transport nio = Transport.nio();
    ProxyMetrics metrics = new ProxyMetrics(new MetricsRegistry());
    return new ProxyContext(
        config,
        new PolicyHolder(policy(yaml, env)),
        CallObserver.composite(List.of(metrics, observer)),
        Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC),
        metrics,
        new TargetResolver(config.dns(), nio, new AddressGuard()),
        new UpstreamPool(nio, config.limits().connectTimeout(), config.limits().idleTimeout()),
        TunnelInterceptor.REFUSE);
  }

  /** A client connection with every HTTP stage installed. */
  public static EmbeddedChannel client(ProxyContext context) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ClientInitializer.install(ch.pipeline(), context);
    return ch;
  }

  /** Everything the proxy wrote to the client so far, as text. */
  public static String written(EmbeddedChannel ch) {
    StringBuilder b = new StringBuilder();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      if (o instanceof ByteBuf buf) {
        b.append(buf.toString(StandardCharsets.ISO_8859_1));
        buf.release();
      }
    }
    return b.toString();
  }

  public static void send(EmbeddedChannel ch, String text) {
    ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
  }
}
