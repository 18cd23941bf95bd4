package dev.gatehouse.policy.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.InvalidHostException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNormalizerTest {

  @ParameterizedTest(name = "{0} -> name {1}")
  @CsvSource({
    "example.com, example.com",
    "Example.COM, example.com",
    "EXAMPLE.com., example.com",
    "api.example.com, api.example.com",
    "a-b.example, a-b.example",
    "xn--bcher-kva.example, xn--bcher-kva.example",
    "bücher.example, xn--bcher-kva.example",
    "BÜCHER.Example., xn--bcher-kva.example",
    "münchen.de, xn--mnchen-3ya.de",
    "例え.テスト, xn--r8jz45g.xn--zckzah",
    "bücher。example, xn--bcher-kva.example",
    "localhost, localhost",
    "a1.b2, a1.b2",
    "3com.com, 3com.com",
  })
  void parse_validName_normalises(String raw, String expected) {
    Host h = HostNormalizer.parse(raw);
    assertThat(h).isInstanceOf(Host.Name.class);
    assertThat(((Host.Name) h).ascii()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "invalid: [{0}]")
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "example.com..",
        "a..b",
        ".example.com",
        "exa mple.com",
        "under_score.com",
        "-lead.com",
        "trail-.com",
        "ex%61mple.com",
        "user@example.com",
        "example.com/path",
        "example.com\u0000",
        "exa\tmple.com",
        "exa*mple.com",
        "example.com:443",
        "example.123",
        "xn--.com",
        "bad\u00a0space.com",
      })
  void parse_badName_isRejected(String raw) {
    assertThatThrownBy(() -> HostNormalizer.parse(raw)).isInstanceOf(InvalidHostException.class);
  }

  @Test
  void parse_labelLengths_areEnforced() {
    String l63 = "a".repeat(63);
    assertThat(HostNormalizer.parse(l63 + ".com")).isInstanceOf(Host.Name.class);
    assertThatThrownBy(() -> HostNormalizer.parse("a" + l63 + ".com"))
        .isInstanceOf(InvalidHostException.class)
        .hasMessageContaining("63");
    String name253 = (l63 + ".").repeat(3) + "a".repeat(61); // 64*3 + 61 = 253
    assertThat(name253).hasSize(253);
    assertThat(HostNormalizer.parse(name253)).isInstanceOf(Host.Name.class);
    assertThat(HostNormalizer.parse(name253 + ".")).isInstanceOf(Host.Name.class);
    assertThatThrownBy(() -> HostNormalizer.parse(name253 + "b"))
        .isInstanceOf(InvalidHostException.class)
        .hasMessageContaining("253");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "127.0.0.1., 127.0.0.1",
    "127.1, 127.0.0.1",
    "127.0.1, 127.0.0.1",
    "2130706433, 127.0.0.1",
    "0x7f000001, 127.0.0.1",
    "0X7F000001, 127.0.0.1",
    "0177.0.0.1, 127.0.0.1",
    "017700000001, 127.0.0.1",
    "0x7f.1, 127.0.0.1",
    "0x7f.0.0.0x1, 127.0.0.1",
    "0177.0x0.00.1, 127.0.0.1",
    "169.254.43518, 169.254.169.254",
    "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
    "0, 0.0.0.0",
    "4294967295, 255.255.255.255",
    "10.0.0.010, 10.0.0.8",
    "１２７.０.０.１, 127.0.0.1",
  })
  void parse_ipv4Spelling_isTheAddressItDenotes(String raw, String expected) {
    Host h = HostNormalizer.parse(raw);
    assertThat(h).isInstanceOf(Host.Ip.class);
    assertThat(((Host.Ip) h).address()).isInstanceOf(Inet4Address.class);
    assertThat(((Host.Ip) h).address().getHostAddress()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "invalid numeric: [{0}]")
  @ValueSource(
      strings = {
        "1.2.3.999",
        "256.0.0.1",
        "1.2.3.4.5",
        "4294967296",
        "0x1g",
        "0x",
        "09",
        "1.2.3.08",
        "1..2",
        "1.2.3.-1",
        "0x100000000",
        "1.16777216",
        "1.2.65536",
        "99999999999999999999999",
        "example.0x7f",
        "foo.1e2",
      })
  void parse_numericButNotAnAddress_isRejected(String raw) {
    assertThatThrownBy(() -> HostNormalizer.parse(raw)).isInstanceOf(InvalidHostException.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "[::1], 0:0:0:0:0:0:0:1",
    "::1, 0:0:0:0:0:0:0:1",
    "[2001:DB8::1], 2001:db8:0:0:0:0:0:1",
    "[2606:50c0:8000::153], 2606:50c0:8000:0:0:0:0:153",
    "[::], 0:0:0:0:0:0:0:0",
    "[1:2:3:4:5:6:7:8], 1:2:3:4:5:6:7:8",
    "[1:2:3:4:5:6:1.2.3.4], 1:2:3:4:5:6:102:304",
    "[::1.2.3.4], 0:0:0:0:0:0:102:304",
    "[fe80::1], fe80:0:0:0:0:0:0:1",
    "[1::], 1:0:0:0:0:0:0:0",
  })
  void parse_ipv6Literal_isParsed(String raw, String expected) {
    Host h = HostNormalizer.parse(raw);
    assertThat(h).isInstanceOf(Host.Ip.class);
    assertThat(((Host.Ip) h).address()).isInstanceOf(Inet6Address.class);
    assertThat(((Host.Ip) h).address().getHostAddress()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "[::ffff:127.0.0.1], 127.0.0.1",
    "::ffff:127.0.0.1, 127.0.0.1",
    "[::ffff:7f00:1], 127.0.0.1",
    "[0:0:0:0:0:ffff:a9fe:a9fe], 169.254.169.254",
    "[::FFFF:10.0.0.1], 10.0.0.1",
  })
  void parse_ipv4MappedIpv6_isTheIpv4Address(String raw, String expected) {
    Host h = HostNormalizer.parse(raw);
    assertThat(((Host.Ip) h).address()).isInstanceOf(Inet4Address.class);
    assertThat(((Host.Ip) h).address().getHostAddress()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "invalid v6: [{0}]")
  @ValueSource(
      strings = {
        "[fe80::1%eth0]",
        "fe80::1%eth0",
        "[fe80::1%25eth0]",
        "[::1",
        "::1]",
        "[]",
        "[example.com]",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":::",
        "[12345::]",
        "[::ffff:1.2.3.256]",
        "[::1.2.3]",
        "[::01.2.3.4]",
        "[1:2:3:4:5:6:7:1.2.3.4]",
        "[:1]",
        "[1:]",
        "[::g]",
      })
  void parse_badIpv6_isRejected(String raw) {
    assertThatThrownBy(() -> HostNormalizer.parse(raw)).isInstanceOf(InvalidHostException.class);
  }

  @Test
  void parse_zoneId_messageSaysWhy() {
    assertThatThrownBy(() -> HostNormalizer.parse("[fe80::1%eth0]")).hasMessageContaining("zone");
  }

  @Test
  void parse_controlCharacter_isEscapedInMessage() {
    assertThatThrownBy(() -> HostNormalizer.parse("evil\r\nx.com"))
        .hasMessageNotContaining("\r")
        .hasMessageNotContaining("\n");
  }
}
