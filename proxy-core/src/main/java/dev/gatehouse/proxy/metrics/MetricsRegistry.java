package dev.gatehouse.proxy.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A small Prometheus registry: counters, gauges and histograms with labels, written in the text
 * exposition format (version 0.0.4) for the admin port's {@code /metrics}. Updating a child is
 * lock-free ({@link LongAdder}); look children up once and keep them where the path is hot.
 */
public final class MetricsRegistry {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final List<Family<?>> families = new CopyOnWriteArrayList<>();
  private final Map<String, Family<?>> byName = new ConcurrentHashMap<>();

  /** A monotonically increasing count. */
  public Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, labelNames));
  }

  /** A value that goes up and down. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return register(new Gauge(name, help, labelNames));
  }

  /** A gauge read from {@code value} at scrape time. */
  public void gauge(String name, String help, DoubleSupplier value) {
    register(new SuppliedGauge(name, help, value));
  }

  /**
   * A counter read from {@code value} at scrape time (a count kept elsewhere, e.g. the audit sink).
   */
  public void counter(String name, String help, LongSupplier value) {
    register(new SuppliedCounter(name, help, value));
  }

  /** A distribution over fixed, ascending upper bounds ({@code +Inf} is added). */
  public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
    return register(new Histogram(name, help, buckets, labelNames));
  }

  private <F extends Family<?>> F register(F family) {
    if (byName.putIfAbsent(family.name, family) != null) {
      throw new IllegalArgumentException("metric " + family.name + " is already registered");
    }
    families.add(family);
    return family;
  }

  /** The whole registry in Prometheus text format. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (Family<?> family : families) {
      family.write(out);
    }
    return out.toString();
  }

  /** One metric name with its children, one per label-value combination. */
  public abstract static class Family<C> {
    final String name;
    final String help;
    final String type;
    final String[] labelNames;
    final Map<List<String>, C> children = new ConcurrentHashMap<>();

    Family(String name, String help, String type, String[] labelNames) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid metric name " + name);
      }
      this.name = name;
      this.help = Objects.requireNonNull(help, "help");
      this.type = type;
      this.labelNames = labelNames.clone();
    }

    /** Unlabelled families show 0 before their first update; subclasses call this last. */
    final void initUnlabelled() {
      if (labelNames.length == 0) {
        child(List.of());
      }
    }

    abstract C newChild();

    abstract void writeChild(StringBuilder out, String labels, C child);

    /** The child for these label values (in the order of the label names). */
    public final C labels(String... values) {
      if (values.length != labelNames.length) {
        throw new IllegalArgumentException(
            name + " takes labels " + Arrays.toString(labelNames) + ", got " + values.length);
      }
      return child(values.length == 0 ? List.of() : List.of(values));
    }

    final C child(List<String> key) {
      C child = children.get(key);
      return child != null ? child : children.computeIfAbsent(key, k -> newChild());
    }

    final void write(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(help.replace("\n", " ")).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      List<Map.Entry<List<String>, C>> entries = new ArrayList<>(children.entrySet());
      entries.sort(
          (a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
      for (Map.Entry<List<String>, C> e : entries) {
        writeChild(out, labelText(e.getKey()), e.getValue());
      }
    }

    final String labelText(List<String> values) {
      if (values.isEmpty()) {
        return "";
      }
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(labelNames[i]).append("=\"");
        escape(b, values.get(i));
        b.append('"');
      }
      return b.append('}').toString();
    }
  }

  static void escape(StringBuilder b, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
  }

  static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** A counter family; {@link #labels} gives a {@link CounterChild}. */
  public static final class Counter extends Family<CounterChild> {
    Counter(String name, String help, String[] labelNames) {
      super(name, help, "counter", labelNames);
      initUnlabelled();
    }

    @Override
    CounterChild newChild() {
      return new CounterChild();
    }

    @Override
    void writeChild(StringBuilder out, String labels, CounterChild child) {
      out.append(name).append(labels).append(' ').append(child.value()).append('\n');
    }

    /** Shortcut for an unlabelled counter. */
    public void inc() {
      labels().inc();
    }
  }

  /** One counter time series. */
  public static final class CounterChild {
    private final LongAdder value = new LongAdder();

    public void inc() {
      value.increment();
    }

    public void add(long amount) {
      if (amount < 0) {
        throw new IllegalArgumentException("counters only go up: " + amount);
      }
      value.add(amount);
    }

    public long value() {
      return value.sum();
    }
  }

  /** A gauge family; {@link #labels} gives a {@link GaugeChild}. */
  public static final class Gauge extends Family<GaugeChild> {
    Gauge(String name, String help, String[] labelNames) {
      super(name, help, "gauge", labelNames);
      initUnlabelled();
    }

    @Override
    GaugeChild newChild() {
      return new GaugeChild();
    }

    @Override
    void writeChild(StringBuilder out, String labels, GaugeChild child) {
      out.append(name).append(labels).append(' ').append(child.value()).append('\n');
    }

    public void inc() {
      labels().inc();
    }

    public void dec() {
      labels().dec();
    }

    public long value() {
      return labels().value();
    }
  }

  /** One gauge time series. */
  public static final class GaugeChild {
    private final LongAdder value = new LongAdder();

    public void inc() {
      value.increment();
    }

    public void dec() {
      value.decrement();
    }

    public void add(long delta) {
      value.add(delta);
    }

    public long value() {
      return value.sum();
    }
  }

  private static final class SuppliedGauge extends Family<DoubleSupplier> {
    private final DoubleSupplier supplier;

    SuppliedGauge(String name, String help, DoubleSupplier supplier) {
      super(name, help, "gauge", new String[0]);
      this.supplier = supplier;
      initUnlabelled();
    }

    @Override
    DoubleSupplier newChild() {
      return () -> supplier.getAsDouble();
    }

    @Override
    void writeChild(StringBuilder out, String labels, DoubleSupplier child) {
      out.append(name).append(labels).append(' ').append(number(child.getAsDouble())).append('\n');
    }
  }

  private static final class SuppliedCounter extends Family<LongSupplier> {
    private final LongSupplier supplier;

    SuppliedCounter(String name, String help, LongSupplier supplier) {
      super(name, help, "counter", new String[0]);
      this.supplier = supplier;
      initUnlabelled();
    }

    @Override
    LongSupplier newChild() {
      return supplier;
    }

    @Override
    void writeChild(StringBuilder out, String labels, LongSupplier child) {
      out.append(name).append(labels).append(' ').append(child.getAsLong()).append('\n');
    }
  }

  /** A histogram family; {@link #labels} gives a {@link HistogramChild}. */
  public static final class Histogram extends Family<HistogramChild> {
    private final double[] bounds;

    Histogram(String name, String help, double[] buckets, String[] labelNames) {
      super(name, help, "histogram", labelNames);
      this.bounds = checkBounds(buckets);
      initUnlabelled();
    }

    private static double[] checkBounds(double[] buckets) {
      double[] b = buckets.clone();
      for (int i = 1; i < b.length; i++) {
        if (!(b[i] > b[i - 1])) {
          throw new IllegalArgumentException(
              "histogram buckets must ascend: " + Arrays.toString(b));
        }
      }
      return b;
    }

    @Override
    HistogramChild newChild() {
      return new HistogramChild(bounds);
    }

    /** Shortcut for an unlabelled histogram. */
    public void observe(double value) {
      labels().observe(value);
    }

    @Override
    void writeChild(StringBuilder out, String labels, HistogramChild child) {
      String open = labels.isEmpty() ? "{" : labels.substring(0, labels.length() - 1) + ",";
      long cumulative = 0;
      for (int i = 0; i < child.bounds.length; i++) {
        cumulative += child.counts[i].sum();
        out.append(name)
            .append("_bucket")
            .append(open)
            .append("le=\"")
            .append(number(child.bounds[i]))
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      cumulative += child.counts[child.bounds.length].sum();
      out.append(name)
          .append("_bucket")
          .append(open)
          .append("le=\"+Inf\"} ")
          .append(cumulative)
          .append('\n');
      out.append(name)
          .append("_sum")
          .append(labels)
          .append(' ')
          .append(number(child.sum.sum()))
          .append('\n');
      out.append(name).append("_count").append(labels).append(' ').append(cumulative).append('\n');
    }
  }

  /** One histogram time series. */
  public static final class HistogramChild {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();

    HistogramChild(double[] bounds) {
      this.bounds = bounds;
      this.counts = new LongAdder[bounds.length + 1];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    public void observe(double value) {
      int i = 0;
      while (i < bounds.length && value > bounds[i]) {
        i++;
      }
      counts[i].increment();
      sum.add(value);
    }
  }
}
