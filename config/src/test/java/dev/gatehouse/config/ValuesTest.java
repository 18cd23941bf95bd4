package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.HostPort;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {
  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({"250ms, 250", "5s, 5000", "2m, 120000", "1h, 3600000", "1d, 86400000", "0s, 0"})
  void duration_units_parse(String text, long millis) {
    assertThat(Values.duration(text)).contains(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"5", "5 sec", "1.5s", "-1s", "s", "5S", "1w", "PT5S", ""})
  void duration_malformed_empty(String text) {
    assertThat(Values.duration(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "512, 512",
    "512B, 512",
    "512KB, 512000",
    "512KiB, 524288",
    "100MB, 100000000",
    "100MiB, 104857600",
    "1GB, 1000000000",
    "1GiB, 1073741824",
    "2TiB, 2199023255552",
    "100mb, 100000000",
  })
  void size_units_parse(String text, long bytes) {
    assertThat(Values.size(text)).contains(bytes);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1.5GB", "-1", "100 megs", "MB", "999999999999999TiB", "1PB"})
  void size_malformedOrOverflow_empty(String text) {
    assertThat(Values.size(text)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "127.0.0.1:3128, 127.0.0.1, 3128",
    "localhost:0, localhost, 0",
    "'[::1]:3128', ::1, 3128",
    "'[2001:db8::1]:65535', 2001:db8::1, 65535",
  })
  void hostPort_listenForms_parse(String text, String host, int port) {
    assertThat(Values.hostPort(text, -1, 0)).contains(new HostPort(host, port));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "3128",
        ":3128",
        "127.0.0.1:",
        "127.0.0.1:65536",
        "::1:3128",
        "[::1]3128",
        "[example.com]:1",
        "[::1",
        "a b:1",
        "127.0.0.1:-1",
        "http://127.0.0.1:3128"
      })
  void hostPort_malformed_empty(String text) {
    assertThat(Values.hostPort(text, -1, 0)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1, 53",
    "::1, ::1, 53",
    "'[::1]', ::1, 53",
    "10.0.0.2:5353, 10.0.0.2, 5353"
  })
  void hostPort_defaultPort_applies(String text, String host, int port) {
    assertThat(Values.hostPort(text, 53, 1)).contains(new HostPort(host, port));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "127.0.0.1, true",
    "::1, true",
    "256.0.0.1, false",
    "1.2.3, false",
    "01.2.3.4, false",
    "dns.example, false"
  })
  void isIpLiteral_forms(String host, boolean expected) {
    assertThat(Values.isIpLiteral(host)).isEqualTo(expected);
  }
}
