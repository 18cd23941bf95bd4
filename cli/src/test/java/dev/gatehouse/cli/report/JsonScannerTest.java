package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonScannerTest {
  private static final String[] KEYS = {"ts", "host"};
  private final JsonScanner in = new JsonScanner();

  @Test
  void key_knownKey_returnsItsIndexAndConsumesIt() {
    in.reset("\"host\":1");
    assertThat(in.key(KEYS)).isEqualTo(1);
    assertThat(in.next()).isEqualTo(':');
  }

  @Test
  void key_prefixOrExtensionOfKnownKey_unknown() {
    in.reset("\"hos\"\"hosts\"");
    assertThat(in.key(KEYS)).isEqualTo(-1);
    assertThat(in.key(KEYS)).isEqualTo(-1);
    assertThat(in.atEnd()).isTrue();
  }

  @Test
  void key_escapedSpellingOfKnownKey_unknownAndSkipped() {
    in.reset("\"ho\\u0073t\":");
    assertThat(in.key(KEYS)).isEqualTo(-1);
    assertThat(in.next()).isEqualTo(':');
  }

  @Test
  void key_rawControlCharacter_malformed() {
    in.reset("\"ho\tst\":");
    assertThatThrownBy(() -> in.key(KEYS)).isSameAs(JsonScanner.Malformed.INSTANCE);
  }

  @Test
  void string_escapes_decoded() {
    in.reset("\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\" ");
    assertThat(in.string()).isEqualTo("a\"b\\c/d\né😀");
    in.ws();
    assertThat(in.atEnd()).isTrue();
  }

  @Test
  void integerOrMinus1_fractionExponentOrOverflow_minus1() {
    in.reset("8080");
    assertThat(in.integerOrMinus1()).isEqualTo(8080);
    in.reset("-7");
    assertThat(in.integerOrMinus1()).isEqualTo(-7);
    for (String notAnInteger : new String[] {"1.5", "2e3", "99999999999999999999"}) {
      in.reset(notAnInteger);
      assertThat(in.integerOrMinus1()).as(notAnInteger).isEqualTo(-1);
      assertThat(in.atEnd()).as(notAnInteger).isTrue();
    }
  }

  @Test
  void number_leadingZeroThenDigits_stopsAfterZero() {
    in.reset("01");
    in.number();
    assertThat(in.atEnd()).isFalse();
    assertThat(in.next()).isEqualTo('1');
  }
}
