package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link JsonLine} is the audit writer's fast path; {@link Json} holds the escaping rules. Every
 * value must come out as the same bytes as Json's text encoded as UTF-8, whichever path it takes.
 */
class JsonLinePropertyTest {

  private static String viaJson(Object value) {
    StringBuilder out = new StringBuilder();
    Json.value(out, value);
    return out.toString();
  }

  private static byte[] bytes(JsonLine line) {
    byte[] b = new byte[line.length()];
    System.arraycopy(line.array(), 0, b, 0, b.length);
    return b;
  }

  @Property(tries = 2000)
  void string_anyText_sameBytesAsJsonInUtf8(@ForAll("text") String value) {
    JsonLine line = new JsonLine(16); // small: the line grows while writing
    line.raw("x").string(value).raw('y');
    assertThat(bytes(line))
        .isEqualTo(("x" + viaJson(value) + "y").getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> text() {
    Arbitrary<Character> special =
        Arbitraries.of(
            '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u0080', '\u009b', '\u00e9', '\u2028',
            '\u2029', '\ud83d', '\ude00', '日');
    Arbitrary<Character> any =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.chars().range(' ', '~')),
            Tuple.of(2, special),
            Tuple.of(1, Arbitraries.chars()));
    return any.list()
        .ofMaxSize(300)
        .map(
            cs -> {
              StringBuilder s = new StringBuilder();
              cs.forEach(s::append);
              return s.toString();
            });
  }

  @Property(tries = 2000)
  void number_anyLong_sameAsJson(@ForAll long value) {
    assertThat(new JsonLine(4).number(value).toString()).isEqualTo(viaJson(value));
  }

  @Property(tries = 200)
  void number_edges_sameAsJson(@ForAll("edges") long value) {
    assertThat(new JsonLine(4).number(value).toString()).isEqualTo(viaJson(value));
  }

  @Provide
  Arbitrary<Long> edges() {
    return Arbitraries.of(
        0L, 1L, 9L, 10L, -1L, -10L, 99L, 100L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1);
  }

  @Property(tries = 1000)
  void timestamp_anyInstant_sameAsJson(
      @ForAll @LongRange(min = -100_000_000_000L, max = 400_000_000_000L) long second,
      @ForAll("nanos") int nanos,
      @ForAll("nanos") int laterNanos) {
    JsonLine line = new JsonLine(8);
    Instant t = Instant.ofEpochSecond(second, nanos);
    Instant sameSecond = Instant.ofEpochSecond(second, laterNanos);
    Instant earlier = t.minusSeconds(1);
    // the cached date-and-time prefix must follow every change of second, back in time too
    for (Instant each : List.of(t, sameSecond, earlier, t)) {
      line.reset();
      assertThat(line.timestamp(each).toString()).as("%s", each).isEqualTo(viaJson(each));
    }
  }

  @Provide
  Arbitrary<Integer> nanos() {
    return Arbitraries.integers().between(0, 999_999_999);
  }

  @Property(tries = 300)
  void value_mapsListsAndScalars_sameAsJson(@ForAll("text") String key, @ForAll int n) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("k", Map.of());
    value.put(key, List.of(n, true, key)); // may replace "k": any map will do
    JsonLine line = new JsonLine(8);
    line.value(value).value(null).value(key).bool(false);
    assertThat(line.toString()).isEqualTo(viaJson(value) + "null" + viaJson(key) + "false");
  }
}
