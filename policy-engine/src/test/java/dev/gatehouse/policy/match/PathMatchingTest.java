package dev.gatehouse.policy.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathMatchingTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/, /",
    "'', /",
    "/simple/requests/, /simple/requests/",
    "/a?x=1, /a",
    "/a#frag, /a",
    "/a?x=/../b, /a",
    "/v1/../v2, /v2",
    "/v1/./v2, /v1/v2",
    "/v1/%2e%2e/v2, /v2",
    "/v1/%2E%2E/v2, /v2",
    "/v1/.%2e/v2, /v2",
    "/a/b/c/./../../g, /a/g",
    "/a/b/.., /a/",
    "/.., /",
    "/../../x, /x",
    "/a//../b, /a/b",
    "/%7Euser/%41bc, /~user/Abc",
    "/a%2fb, /a%2Fb",
    "/a%5cb, /a%5Cb",
    "/a%20b, /a%20b",
    "/pkg-1.0.tar.gz, /pkg-1.0.tar.gz",
    "/.well-known/x, /.well-known/x",
    "/a%252e%252e/b, /a%252e%252e/b",
    "/a/...;x, /a/...;x",
    "/a/.x;y, /a/.x;y",
    "/a/..x%00, /a/..x%00",
  })
  void normalize_table(String raw, String expected) {
    NormalizedPath p = NormalizedPath.of(raw);
    assertThat(p.isMalformed()).as("malformed").isFalse();
    assertThat(p.value()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "malformed: [{0}]")
  @ValueSource(
      strings = {
        "a/b",
        "*",
        "http://x/a",
        "/a/%zz",
        "/a/%4",
        "/a/%",
        "/a\\b",
        "/a b",
        "/a\u00e9",
        "/v1/..;/admin",
        "/v1/.;x/admin",
        "/v1/..%3b/admin",
        "/v1/..%00/admin",
        "/v1/.%00/admin",
        "/v1/a%2F..%3Bx/b",
        "/v1/..%2Fadmin",
        "/v1/..%5Cadmin",
        "/v1%2F..%2Fv2",
        "/v1/%2F../x",
        "/v1/%2e%2e%2fv2",
        "/v1/%2e%2e%5cv2",
      })
  void normalize_malformed(String raw) {
    assertThat(NormalizedPath.of(raw).isMalformed()).isTrue();
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    "/v1/**, /v1, true",
    "/v1/**, /v1/, true",
    "/v1/**, /v1/a/b/c, true",
    "/v1/**, /v1x, false",
    "/v1/**, /v2/a, false",
    "/v1/**, /, false",
    "/v1/**, /v1/a%2Fb, true",
    "/**, /, true",
    "/**, /anything/at/all, true",
    "/, /, true",
    "/, /a, false",
    "/repos/*/info, /repos/x/info, true",
    "/repos/*/info, /repos/x/y/info, false",
    "/repos/*/info, /repos/a%2Fb/info, false",
    "/repos/*/info, /repos//info, true",
    "/repos/a%2Fb/info, /repos/a%2fb/info, true",
    "/acme/*/git-receive-pack, /acme/repo.git/git-receive-pack, true",
    "/files/*.tar.gz, /files/pkg-1.0.tar.gz, true",
    "/files/*.tar.gz, /files/pkg.zip, false",
    "/files/*.tar.gz, /files/.tar.gz, true",
    "/f*o*o, /foo, true",
    "/f*o*o, /fxoyo, true",
    "/f*o*o, /fo, false",
    "/a/**/z, /a/z, true",
    "/a/**/z, /a/b/c/z, true",
    "/a/**/z, /a/b/c/y, false",
    "/a/**/b/**/c, /a/x/b/y/c, true",
    "/a/**/b/**/c, /a/x/c, false",
    "/%7Euser/**, /~user/x, true",
    "/~user/**, /%7euser/x, true",
    "/api, /api?x=1, true",
  })
  void glob_table(String glob, String path, boolean expected) {
    assertThat(PathGlob.compile(glob).matches(NormalizedPath.of(path))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "never under /v1/: {0}")
  @ValueSource(
      strings = {
        "/v1/../v2",
        "/v1/../v2/x",
        "/v1/%2e%2e/v2",
        "/v1/%2E%2e/v2",
        "/v1/.%2e/v2",
        "/v1/./../v2",
        "/v1%2F..%2Fv2",
        "/v1/%2F../x",
        "/v1/..%2Fv2",
        "/v1/..%2fv2",
        "/v1/..%5Cv2",
        "/v1/..;/v2",
        "/v1/..\\v2",
        "/v1/%2e%2e%2fv2",
        "/v1/a/../../v2",
        "/v1/%2e%2e;x/v2",
        "/v1%2fx",
        "/V1/x",
      })
  void glob_traversal_neverMatchesV1(String path) {
    assertThat(PathGlob.compile("/v1/**").matches(NormalizedPath.of(path))).isFalse();
    assertThat(PathGlob.compile("/v1/*").matches(NormalizedPath.of(path))).isFalse();
  }

  @ParameterizedTest(name = "bad glob: {0}")
  @ValueSource(
      strings = {
        "v1/**", "", "/a?b", "/a#b", "/a/../b", "/a/./b", "/a**", "/**b/c", "/a/%zz", "/a b",
        "/a\\b"
      })
  void compile_badGlob_isRejected(String glob) {
    assertThatThrownBy(() -> PathGlob.compile(glob)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void glob_malformedPath_neverMatchesEvenCatchAll() {
    assertThat(PathGlob.compile("/**").matches(NormalizedPath.of("/a/%zz"))).isFalse();
  }
}
