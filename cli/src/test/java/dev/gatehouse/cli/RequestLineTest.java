package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestLineTest {

  @ParameterizedTest
  @CsvSource({
    "GET, https://pypi.org/simple/, pypi.org, 443, /simple/",
    "GET, http://pypi.org, pypi.org, 80, /",
    "HEAD, https://Example.COM:8443/a/b?q=secret#frag, Example.COM, 8443, /a/b",
    "GET, 'http://[2001:db8::1]:8080/x', 2001:db8::1, 8080, /x",
    "CONNECT, github.com:443, github.com, 443, ''",
    "CONNECT, '[::1]:22', ::1, 22, ''",
  })
  void parse_validTargets_splitHostPortAndPathWithoutQuery(
      String method, String target, String host, int port, String path) {
    RequestLine line = RequestLine.parse(method, target);

    assertThat(line.rawHost()).isEqualTo(host);
    assertThat(line.port()).isEqualTo(port);
    assertThat(line.path()).isEqualTo(path);
  }

  @ParameterizedTest
  @CsvSource({
    "GET, pypi.org/simple/, not an absolute URL",
    "GET, ftp://pypi.org/, not http or https",
    "CONNECT, github.com, needs a port",
    "GET, https://user:pw@pypi.org/, credentials",
    "GET, https://pypi.org:99999/, out of range",
    "get, https://pypi.org/, upper-case",
  })
  void parse_invalidTargets_sayWhatIsWrong(String method, String target, String message) {
    assertThatThrownBy(() -> RequestLine.parse(method, target)).hasMessageContaining(message);
  }
}
