package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;
import java.util.Locale;

/**
 * A {@link ComponentLoader} for an OTLP/HTTP exporter's builder that hands it a sender provider
 * which remembers the sender it creates, so {@link CallSpanOtlpExporter} can send its own encoded
 * requests through the very sender (endpoint, headers, TLS, compression, timeouts, retries) that
 * autoconfigure set up from {@code OTEL_EXPORTER_OTLP_*}. With {@code plain}, a config that {@link
 * PlainHttpSender} supports gets one of those instead of the provider's sender. Only the public
 * sender SPI of {@code io.opentelemetry.sdk.common.export} is used. Everything else loads as it
 * would without the tap.
 */
final class SenderTap implements ComponentLoader {
  private final ComponentLoader base =
      ComponentLoader.forClassLoader(SenderTap.class.getClassLoader());
  private volatile HttpSender httpSender;
  private volatile HttpSenderConfig httpConfig;
  private final boolean plain;

  SenderTap(boolean plain) {
    this.plain = plain;
  }

  @Override
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) {
      HttpSenderProvider real = choose(HttpSenderProvider.class);
      HttpSenderProvider tapped =
          config -> {
            HttpSender sender =
                plain && PlainHttpSender.supports(config)
                    ? new PlainHttpSender(config)
                    : real.createSender(config);
            httpConfig = config;
            httpSender = sender;
            return sender;
          };
      return List.of(type.cast(tapped));
    }
    return base.load(type);
  }

  /** The HTTP sender the exporter was built with, or null. */
  HttpSender httpSender() {
    return httpSender;
  }

  HttpSenderConfig httpConfig() {
    return httpConfig;
  }

  /**
   * The provider the SDK itself would pick: the only one, or the one named by the SDK's selection
   * property (system property, or the environment variable of the same name), else the first.
   */
  private <T> T choose(Class<T> type) {
    List<T> all = ComponentLoader.loadList(base, type);
    if (all.isEmpty()) {
      throw new IllegalStateException("no " + type.getSimpleName() + " on the class path");
    }
    String preferred = System.getProperty(type.getName());
    if (preferred == null) {
      preferred = System.getenv(type.getName().toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    for (T provider : all) {
      if (provider.getClass().getName().equals(preferred)) {
        return provider;
      }
    }
    return all.get(0);
  }
}
