package dev.gatehouse.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

  private static String str(String s) {
    StringBuilder out = new StringBuilder();
    Json.string(out, s);
    return out.toString();
  }

  @Test
  void string_quoteAndBackslash_escaped() {
    assertThat(str("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }

  @Test
  void string_controlCharacters_escapedEveryOne() {
    assertThat(str("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(str("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
    for (char c = 0; c < 0x20; c++) {
      assertThat(str(String.valueOf(c)))
          .as("char %d", (int) c)
          .startsWith("\"\\")
          .hasSize(c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 4 : 8);
    }
  }

  @Test
  void string_nonAscii_keptAsIsAndLineSeparatorsEscaped() {
    assertThat(str("bücher.example – 日本 😀")).isEqualTo("\"bücher.example – 日本 😀\"");
    assertThat(str("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void string_loneSurrogates_escapedNotReplaced() {
    assertThat(str("x\ud83dy")).isEqualTo("\"x\\ud83dy\"");
    assertThat(str("x\ude00")).isEqualTo("\"x\\ude00\"");
    assertThat(str("\ude00\ud83d")).isEqualTo("\"\\ude00\\ud83d\"");
  }

  @Test
  void string_c1Controls_escaped() {
    // U+009B is a one-character CSI: a terminal showing the raw log would act on it
    assertThat(str("a\u0080b\u009bc\u00a0d")).isEqualTo("\"a\\u0080b\\u009bc\u00a0d\"");
  }

  @Test
  void string_escapesBetweenPlainRuns_keepEveryPlainCharacter() {
    assertThat(str("/p\"a\"th?\n/x")).isEqualTo("\"/p\\\"a\\\"th?\\n/x\"");
    assertThat(str("\"")).isEqualTo("\"\\\"\"");
    assertThat(str("")).isEqualTo("\"\"");
    assertThat(str("😀x\ud83d")).isEqualTo("\"😀x\\ud83d\"");
  }

  @Test
  void timestamp_rfc3339UtcWithMillis() {
    StringBuilder out = new StringBuilder();
    Json.timestamp(out, Instant.parse("2026-01-02T03:04:05.006789Z"));
    assertThat(out).hasToString("2026-01-02T03:04:05.006Z");
    out.setLength(0);
    Json.timestamp(out, Instant.EPOCH);
    assertThat(out).hasToString("1970-01-01T00:00:00.000Z");
    out.setLength(0);
    Json.timestamp(out, Instant.parse("0042-12-31T23:59:59.999Z"));
    assertThat(out).hasToString("0042-12-31T23:59:59.999Z");
  }

  @Test
  void value_nestedTypes_rendered() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", 3);
    m.put("l", List.of("a", 2L, true));
    m.put("o", Optional.empty());
    m.put("nan", Double.NaN);
    m.put("e", Thread.State.NEW);
    m.put("t", Instant.EPOCH);
    StringBuilder out = new StringBuilder();
    Json.value(out, m);
    assertThat(out)
        .hasToString(
            "{\"n\":3,\"l\":[\"a\",2,true],\"o\":null,\"nan\":\"NaN\",\"e\":\"new\","
                + "\"t\":\"1970-01-01T00:00:00.000Z\"}");
  }
}
