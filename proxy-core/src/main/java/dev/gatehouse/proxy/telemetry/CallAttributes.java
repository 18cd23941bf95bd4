package dev.gatehouse.proxy.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A call span's attributes as two parallel arrays in a fixed order, for {@link CallSpan}: the
 * exporter only iterates them ({@code forEach}, {@code size}), so this skips the sort and
 * de-duplication {@link Attributes#builder()} does for every span (measured on the export thread,
 * issue 5). Keys are distinct by construction (the caller adds each {@code SpanAttributes} key at
 * most once).
 */
final class CallAttributes implements Attributes, AttributeSink {
  private final AttributeKey<?>[] keys;
  private final Object[] values;
  private int size;

  CallAttributes(int capacity) {
    keys = new AttributeKey<?>[capacity];
    values = new Object[capacity];
  }

  @Override
  public void put(AttributeKey<String> key, String value) {
    add(key, value);
  }

  @Override
  public void put(AttributeKey<Long> key, long value) {
    add(key, value);
  }

  @Override
  public void put(AttributeKey<Boolean> key, boolean value) {
    add(key, value);
  }

  private void add(AttributeKey<?> key, Object value) {
    if (value != null) {
      keys[size] = key;
      values[size] = value;
      size++;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        return (T) values[i];
      }
    }
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
    for (int i = 0; i < size; i++) {
      consumer.accept(keys[i], values[i]);
    }
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Map<AttributeKey<?>, Object> asMap() {
    Map<AttributeKey<?>, Object> m = new LinkedHashMap<>();
    forEach(m::put);
    return Collections.unmodifiableMap(m);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public AttributesBuilder toBuilder() {
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < size; i++) {
      b.put((AttributeKey) keys[i], values[i]);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && asMap().equals(other.asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
