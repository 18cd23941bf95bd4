package dev.gatehouse.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
  @Test
  void scrape_writesPrometheusTextWithLabelsEscaped() {
    MetricsRegistry r = new MetricsRegistry();
    MetricsRegistry.Counter c = r.counter("x_total", "Things.", "kind");
    c.labels("a\"b").add(3);
    c.labels("plain").inc();
    r.gauge("y", "A gauge.").inc();
    MetricsRegistry.Histogram h = r.histogram("z_seconds", "Latency.", new double[] {0.1, 1}, "op");
    h.labels("get").observe(0.05);
    h.labels("get").observe(0.5);
    h.labels("get").observe(5);
    String text = r.scrape();
    assertThat(text)
        .contains("# TYPE x_total counter\n")
        .contains("x_total{kind=\"a\\\"b\"} 3\n")
        .contains("x_total{kind=\"plain\"} 1\n")
        .contains("# TYPE y gauge\ny 1\n")
        .contains("z_seconds_bucket{op=\"get\",le=\"0.1\"} 1\n")
        .contains("z_seconds_bucket{op=\"get\",le=\"1\"} 2\n")
        .contains("z_seconds_bucket{op=\"get\",le=\"+Inf\"} 3\n")
        .contains("z_seconds_count{op=\"get\"} 3\n")
        .contains("z_seconds_sum{op=\"get\"} 5.55\n");
  }

  @Test
  void unlabelledMetrics_showZeroBeforeTheFirstUpdate() {
    MetricsRegistry r = new MetricsRegistry();
    r.counter("never_total", "Never incremented.");
    assertThat(r.scrape()).contains("never_total 0\n");
  }

  @Test
  void counters_onlyGoUp_andNamesAreUnique() {
    MetricsRegistry r = new MetricsRegistry();
    MetricsRegistry.Counter c = r.counter("a_total", "A.");
    assertThatThrownBy(() -> c.labels().add(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.counter("a_total", "again"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.labels("extra")).isInstanceOf(IllegalArgumentException.class);
  }
}
