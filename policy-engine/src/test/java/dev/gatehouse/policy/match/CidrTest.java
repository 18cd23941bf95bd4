package dev.gatehouse.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.policy.host.IpLiterals;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  static InetAddress ip(String s) {
    return s.indexOf(':') >= 0
        ? IpLiterals.parseIpv6(s).orElseThrow()
        : IpLiterals.parseDottedQuad(s).orElseThrow();
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.255.255, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "0.0.0.0/0, 1.2.3.4, true",
    "0.0.0.0/0, ::1, false",
    "10.1.2.3, 10.1.2.3, true",
    "10.1.2.3, 10.1.2.4, false",
    "10.1.2.3/8, 10.9.9.9, true",
    "::/0, 2001:db8::1, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "2001:db8::/127, 2001:db8::1, true",
    "2001:db8::/127, 2001:db8::2, false",
    "::ffff:10.0.0.0/104, 10.200.0.1, true",
    "::ffff:10.0.0.0/104, ::ffff:10.1.1.1, true",
    "10.0.0.0/8, ::ffff:10.1.1.1, true",
    "fe80::/10, febf::1, true",
    "fe80::/10, fec0::1, false",
  })
  void contains_table(String cidr, String address, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
    assertThat(CidrSet.parse(List.of(cidr)).contains(ip(address))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "10/8",
        "10.0.0/8",
        "127.1",
        "0x7f000001",
        "::/129",
        "::ffff:1.2.3.4/95",
        "10.0.0.0/-1",
        "10.0.0.0/08x",
        "x"
      })
  void parse_bad_isRejected(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hasHostBits_sloppyPrefix_trueAndParseMasksIt() {
    assertThat(Cidr.hasHostBits("10.1.2.3/8")).isTrue();
    assertThat(Cidr.hasHostBits("10.0.0.0/8")).isFalse();
    assertThat(Cidr.hasHostBits("10.1.2.3")).isFalse();
    assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
  }

  @Test
  void cidrSet_manyPrefixes_lookupIsExact() {
    CidrSet set =
        CidrSet.parse(List.of("10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "8.8.8.8"));
    assertThat(set.contains(ip("10.9.9.9"))).isTrue();
    assertThat(set.contains(ip("192.168.1.77"))).isTrue();
    assertThat(set.contains(ip("192.168.2.1"))).isFalse();
    assertThat(set.contains(ip("8.8.8.8"))).isTrue();
    assertThat(set.contains(ip("8.8.4.4"))).isFalse();
    assertThat(set.contains(ip("2001:db8::5"))).isTrue();
    assertThat(set.contains(ip("2001:db9::5"))).isFalse();
    assertThat(CidrSet.EMPTY.contains(ip("10.0.0.1"))).isFalse();
  }
}
