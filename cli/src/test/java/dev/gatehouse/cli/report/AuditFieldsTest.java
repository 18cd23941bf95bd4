package dev.gatehouse.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditFieldsTest {
  private final JsonScanner in = new JsonScanner();
  private final AuditEntry e = new AuditEntry();

  private void read(String key, String value) {
    e.reset();
    in.reset(value);
    AuditFields.read(Arrays.asList(AuditFields.KEYS).indexOf(key), in, e);
    assertThat(in.atEnd()).as("value consumed: " + value).isTrue();
  }

  @Test
  void read_eachKey_fillsItsField() {
    read("ts", "\"1970-01-01T00:00:01.000Z\"");
    assertThat(e.tsMillis).isEqualTo(1000);
    read("host", "\"h.example\"");
    assertThat(e.host).isEqualTo("h.example");
    read("port", "443");
    assertThat(e.port).isEqualTo(443);
    read("status", "403");
    assertThat(e.status).isEqualTo(403);
    read("rule", "\"r1\"");
    assertThat(e.rule).isEqualTo("r1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "7", "[\"x\"]", "{\"a\":\"b\"}", "true"})
  void read_stringKeyWithOtherValue_absent(String value) {
    read("agent", value);
    assertThat(e.agent).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "\"443\"", "null", "[443]"})
  void read_integerKeyWithOtherValue_minus1(String value) {
    read("port", value);
    assertThat(e.port).isEqualTo(-1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "null", "0", "\"false\"", "[false]"})
  void read_enforcedOtherThanLiteralFalse_enforced(String value) {
    read("enforced", value);
    assertThat(e.enforced).isTrue();
  }

  @Test
  void read_enforcedFalse_notEnforced() {
    read("enforced", "false");
    assertThat(e.enforced).isFalse();
  }

  @Test
  void read_unknownKey_valueSkipped() {
    in.reset("{\"x\":[1,{}]}");
    AuditFields.read(-1, in, e);
    assertThat(in.atEnd()).isTrue();
  }
}
