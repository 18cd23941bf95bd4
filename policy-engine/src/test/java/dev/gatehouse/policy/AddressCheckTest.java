package dev.gatehouse.policy;

import static dev.gatehouse.policy.PolicyBuilder.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.host.IpLiterals;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressCheckTest {
  private static final PolicyEngine STRICT = policy().engine();

  static InetAddress ip(String s) {
    return s.indexOf(':') >= 0
        ? IpLiterals.parseIpv6(s).orElseThrow()
        : IpLiterals.parseDottedQuad(s).orElseThrow();
  }

  /** First and last address of every non-global range of SPEC §2.4 and the IANA registries. */
  @ParameterizedTest(name = "private: {0}")
  @ValueSource(
      strings = {
        "0.0.0.0",
        "0.255.255.255",
        "10.0.0.0",
        "10.255.255.255",
        "100.64.0.0",
        "100.127.255.255",
        "127.0.0.1",
        "127.255.255.255",
        "169.254.0.0",
        "169.254.169.254",
        "169.254.255.255",
        "172.16.0.0",
        "172.31.255.255",
        "192.0.0.0",
        "192.0.0.255",
        "192.0.2.0",
        "192.0.2.255",
        "192.88.99.0",
        "192.88.99.255",
        "192.168.0.0",
        "192.168.255.255",
        "198.18.0.0",
        "198.19.255.255",
        "198.51.100.0",
        "198.51.100.255",
        "203.0.113.0",
        "203.0.113.255",
        "224.0.0.1",
        "239.255.255.255",
        "240.0.0.0",
        "255.255.255.254",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "::ffff:169.254.169.254",
        "::7f00:1",
        "::10.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::808:808",
        "64:ff9b:1::1",
        "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
        "100::",
        "100::ffff:ffff:ffff:ffff",
        "100:0:0:1::1",
        "2001::",
        "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:2::1",
        "2001:db8::",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        "2002::",
        "2002:0a00:0001::1",
        "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "3fff::1",
        "3fff:fff:ffff::1",
        "5f00::1",
        "fc00::",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fe80::",
        "fe80::1",
        "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fec0::1",
        "feff::1",
        "ff00::",
        "ff02::1",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "4000::1",
        "1::1",
      })
  void checkAddress_nonGlobal_isPrivate(String address) {
    assertThat(STRICT.checkAddress(ip(address))).contains(Reason.PRIVATE_ADDRESS);
  }

  @ParameterizedTest(name = "global: {0}")
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.8.8",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.1.255",
        "192.0.3.0",
        "192.88.98.255",
        "192.88.100.0",
        "192.167.255.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "140.82.112.4",
        "::ffff:8.8.8.8",
        "2606:4700:4700::1111",
        "2a00:1450:4001::200e",
        "2001:200::1",
        "2003::1",
        "3ffe::1",
      })
  void checkAddress_global_passes(String address) {
    assertThat(STRICT.checkAddress(ip(address))).isEmpty();
  }

  @Test
  void checkAddress_blockPrivateOff_allowsNonGlobal() {
    PolicyEngine open = policy().blockPrivate(false).engine();
    assertThat(open.checkAddress(ip("10.0.0.1"))).isEmpty();
    assertThat(open.checkAddress(ip("::1"))).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "10.20.1.1, ''",
    "10.21.0.1, private_address",
    "10.20.5.1, denied_cidr",
    "140.82.112.4, denied_cidr",
    "::ffff:140.82.112.4, denied_cidr",
    "2002:8c52:7004::1, denied_cidr",
    "64:ff9b::8c52:7004, denied_cidr",
    "2001:0:4136:e378:8000:63bf:73ad:8ffb, denied_cidr",
    "::ffff:10.20.1.1, ''",
    "2001:db8:1::5, ''",
    "2001:db8:2::5, private_address",
    "8.8.8.8, ''",
    "64:ff9b::a14:101, private_address",
  })
  void checkAddress_allowAndDenyCidrs(String address, String expected) {
    PolicyEngine e =
        policy()
            .allowCidrs("10.20.0.0/16", "2001:db8:1::/48", "10.20.5.0/24")
            .denyCidrs("10.20.5.0/24", "140.82.112.0/20")
            .engine();
    Optional<Reason> got = e.checkAddress(ip(address));
    assertThat(got.map(Reason::wireName).orElse("")).isEqualTo(expected);
  }

  @Test
  void checkAddress_nat64Allowed_stillChecksEmbeddedIpv4() {
    PolicyEngine e = policy().allowCidrs("64:ff9b::/96").engine();
    assertThat(e.checkAddress(ip("64:ff9b::808:808"))).isEmpty();
    assertThat(e.checkAddress(ip("64:ff9b::a9fe:a9fe"))).contains(Reason.PRIVATE_ADDRESS);
  }

  @Test
  void checkAddress_denyCidrs_applyEvenWithoutBlockPrivate() {
    PolicyEngine e = policy().blockPrivate(false).denyCidrs("8.8.8.0/24").engine();
    assertThat(e.checkAddress(ip("8.8.8.8"))).contains(Reason.DENIED_CIDR);
    assertThat(e.checkAddress(ip("8.8.4.4"))).isEmpty();
  }
}
