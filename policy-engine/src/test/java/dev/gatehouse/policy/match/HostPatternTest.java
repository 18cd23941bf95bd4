package dev.gatehouse.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.Host;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPatternTest {

  /** SPEC §2.2's table, plus the edges around it. */
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    "example.com, example.com, true",
    "example.com, EXAMPLE.com., true",
    "example.com, api.example.com, false",
    "example.com, badexample.com, false",
    "Example.COM., example.com, true",
    "*.example.com, api.example.com, true",
    "*.example.com, a.b.example.com, true",
    "*.example.com, example.com, false",
    "*.example.com, notexample.com, false",
    "*.example.com, api.notexample.com, false",
    "**.example.com, example.com, true",
    "**.example.com, api.example.com, true",
    "**.example.com, a.b.c.example.com, true",
    "**.example.com, notexample.com, false",
    "**.example.com, example.com.evil.net, false",
    "*, example.com, true",
    "*, localhost, true",
    "*, 127.0.0.1, false",
    "*, 2130706433, false",
    "*, [::1], false",
    "example.com, 93.184.215.14, false",
    "140.82.112.4, 140.82.112.4, true",
    "140.82.112.4, 0x8c527004, true",
    "140.82.112.4, 140.82.112.5, false",
    "140.82.112.0/20, 140.82.127.255, true",
    "140.82.112.0/20, 140.82.128.0, false",
    "140.82.112.0/20, github.com, false",
    "2606:50c0::/32, [2606:50c0:8000::153], true",
    "2606:50c0::/32, [2606:50c1::1], false",
    "[2606:50c0::153], [2606:50c0:0::153], true",
    "bücher.example, xn--bcher-kva.example, true",
    "*.bücher.example, a.xn--bcher-kva.example, true",
    "127.0.0.1, 127.1, true",
    "127.0.0.1, [::ffff:127.0.0.1], true",
  })
  void matches_table(String pattern, String host, boolean expected) {
    assertThat(HostPattern.parse(pattern).matches(Host.parse(host))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "rejected: {0}")
  @ValueSource(
      strings = {
        "api-*.example.com",
        "*x.com",
        "a.*.com",
        "*.*.com",
        "**",
        "***.example.com",
        "example.*",
        "^api\\.example\\.com$",
        "(a|b).com",
        "api.example.com?",
        "https://example.com",
        "example.com:443",
        "10.0.0.0/33",
        "10.0.0/8",
        "10.0.0.0/",
        "10.0.0.0/x",
        "0x7f000001/8",
        "fe80::/129",
        "bad_host.com",
        "*.1.2.3.4",
        "**.example.com..",
        "1.2.3.999",
        "",
      })
  void parse_invalidPattern_isRejectedNamingIt(String pattern) {
    assertThatThrownBy(() -> HostPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern.isEmpty() ? "host" : pattern);
  }
}
