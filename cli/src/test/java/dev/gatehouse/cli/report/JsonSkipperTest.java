package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSkipperTest {
  private final JsonScanner in = new JsonScanner();

  @Test
  void skipValue_everyKindNested_stopsRightAfterIt() {
    in.reset("{\"a\":[1,-2.5e+3,true,false,null,\"\\u0041\",{}],\"b\":{ }} ,x");
    JsonSkipper.skipValue(in);
    in.ws();
    assertThat(in.next()).isEqualTo(',');
  }

  @Test
  void skipValue_nestingAtCap_skipped() {
    in.reset("[".repeat(65) + "]".repeat(65));
    JsonSkipper.skipValue(in);
    assertThat(in.atEnd()).isTrue();
  }

  @Test
  void skipValue_nestingOverCap_malformed() {
    in.reset("[".repeat(66) + "]".repeat(66));
    assertThatThrownBy(() -> JsonSkipper.skipValue(in)).isSameAs(JsonScanner.Malformed.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tru", "+1", "-", "\"\\x\"", "{\"a\" 1}", "{a:1}", "[1 2]", "[1,]", "}"})
  void skipValue_invalid_malformed(String value) {
    in.reset(value);
    assertThatThrownBy(() -> JsonSkipper.skipValue(in))
        .isInstanceOfAny(JsonScanner.Malformed.class, IndexOutOfBoundsException.class);
  }
}
