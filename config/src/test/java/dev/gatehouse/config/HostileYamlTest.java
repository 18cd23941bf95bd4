package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input generated rather than checked in (too big, or not text): each must come back as one
 * clean, located error, never an exception or a stack trace. Bounded time is shown by the limits
 * themselves (size checked before parsing, nesting and aliases refused before composing), not by a
 * clock.
 */
class HostileYamlTest {
  @TempDir Path dir;

  @Test
  void read_oversizedFile_refusedBeforeParsingNamingTheLimit() throws IOException {
    Path file = dir.resolve("big.yaml");
    byte[] bytes = new byte[YamlReader.MAX_BYTES + 1];
    java.util.Arrays.fill(bytes, (byte) '#');
    Files.write(file, bytes);

    PolicyLoader.Result result = PolicyLoader.read(file);

    assertThat(result.model()).isEmpty();
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location().line()).isEqualTo(1);
              assertThat(d.message())
                  .isEqualTo(
                      "file is 1048577 bytes; the limit is 1 MiB (1048576 bytes) for a Gatehouse"
                          + " YAML file");
            });
  }

  @Test
  void parse_oversizedString_refused() {
    String yaml = "version: 1\n" + "#".repeat(YamlReader.MAX_BYTES);

    assertThatThrownBy(() -> PolicyLoader.parse(yaml, "big.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("big.yaml:1:1: error: file is")
        .hasMessageContaining("the limit is 1 MiB");
  }

  @Test
  void read_fileAtTheLimit_isParsed() throws IOException {
    // Many short comment lines: one 1 MiB line is legal too but SnakeYAML scans it slowly.
    StringBuilder text = new StringBuilder("version: 1\n");
    String line = "# " + "x".repeat(61) + "\n";
    while (text.length() + line.length() <= YamlReader.MAX_BYTES) {
      text.append(line);
    }
    text.append("#".repeat(YamlReader.MAX_BYTES - text.length()));
    Path file = dir.resolve("limit.yaml");
    Files.writeString(file, text);
    assertThat(Files.size(file)).isEqualTo(YamlReader.MAX_BYTES);

    assertThat(PolicyLoader.read(file).diagnostics()).isEmpty();
  }

  @Test
  void read_deepNesting100000_refusedAtDepthLimitWithoutStackOverflow() {
    String yaml = "version: 1\nrules: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "deep.yaml");

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::format)
        .isEqualTo("deep.yaml:2:39: error: nesting deeper than 32 levels is not allowed");
  }

  @Test
  void read_blockStyleNestingAtLimit_isAccepted() {
    // 32 levels: the root mapping and 31 nested lists.
    String yaml = "version: 1\nanonymous_x: " + "[".repeat(31) + "]".repeat(31) + "\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "ok.yaml");

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::message)
        .asString()
        .startsWith("unknown key 'anonymous_x'");
  }

  @Test
  void read_hundredThousandAliases_oneErrorAtTheFirst() {
    StringBuilder yaml = new StringBuilder("version: 1\na: &a [x]\nb: [");
    for (int i = 0; i < 100_000; i++) {
      yaml.append("*a, ");
    }
    yaml.append("*a]\n");

    PolicyLoader.Result result = PolicyLoader.read(yaml.toString(), "laughs.yaml");

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::format)
        .asString()
        .startsWith(
            "laughs.yaml:3:5: error: alias '*a' is not allowed (100001 aliases in the file)");
  }

  @Test
  void read_utf16File_refusedAsNotUtf8() throws IOException {
    Path file = dir.resolve("utf16.yaml");
    Files.write(file, "version: 1\n".getBytes(StandardCharsets.UTF_16));

    PolicyLoader.Result result = PolicyLoader.read(file);

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::message)
        .asString()
        .startsWith("not UTF-8 text: the file starts with a UTF-16 byte order mark");
  }

  @Test
  void read_utf8ByteOrderMark_isAccepted() throws IOException {
    Path file = dir.resolve("bom.yaml");
    byte[] text = "version: 1\n".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 3];
    bytes[0] = (byte) 0xef;
    bytes[1] = (byte) 0xbb;
    bytes[2] = (byte) 0xbf;
    System.arraycopy(text, 0, bytes, 3, text.length);
    Files.write(file, bytes);

    assertThat(PolicyLoader.read(file).diagnostics()).isEmpty();
  }

  @Test
  void read_truncatedMultibyteCharacter_locatedAtItsColumn() {
    byte[] bytes = "version: 1\nanonymous: é".getBytes(StandardCharsets.UTF_8);
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);

    PolicyLoader.Result result = PolicyLoader.read(writeTemp(truncated));

    assertThat(result.errors())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location().line()).isEqualTo(2);
              assertThat(d.location().column()).isEqualTo(12);
              assertThat(d.message()).startsWith("not UTF-8 text: invalid byte 0xC3");
            });
  }

  @Test
  void read_directory_reportsCleanError() {
    PolicyLoader.Result result = PolicyLoader.read(dir);

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::message)
        .isEqualTo("cannot read file: it is a directory");
  }

  @Test
  void load_hostileServerConfig_refusedLikePolicies() {
    assertThatThrownBy(
            () -> ServerConfigLoader.parse("policy: !!java.io.File /etc/passwd\n", "g.yaml", dir))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "g.yaml:1:9: error: tag '!!java.io.File' is not allowed: only plain YAML values"
                + " (strings, numbers, true/false, null, lists and mappings)");
  }

  @Test
  void read_keyWithControlCharacters_escapedInMessage() {
    String yaml = "version: 1\n\"evil\\nfile:1:1: error: forged\\e[31m\": 1\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::message)
        .asString()
        .startsWith("unknown key 'evil\\u000afile:1:1: error: forged\\u001b[31m'")
        .doesNotContain("\n")
        .doesNotContain("\u001b");
  }

  @Test
  void read_hugeValue_truncatedInMessage() {
    String yaml = "version: 1\nanonymous: " + "k".repeat(100_000) + "\n";

    PolicyLoader.Result result = PolicyLoader.read(yaml, "p.yaml");

    assertThat(result.errors())
        .singleElement()
        .satisfies(d -> assertThat(d.message()).hasSizeLessThan(300).contains("kkk...'"));
  }

  @Test
  void read_thousandsOfDuplicateKeys_cappedDiagnostics() {
    StringBuilder yaml = new StringBuilder("version: 1\n");
    for (int i = 0; i < 5_000; i++) {
      yaml.append("version: 1\n");
    }

    PolicyLoader.Result result = PolicyLoader.read(yaml.toString(), "p.yaml");

    assertThat(result.diagnostics()).hasSize(NodeReader.MAX_DIAGNOSTICS + 1);
    assertThat(result.diagnostics().get(NodeReader.MAX_DIAGNOSTICS).message())
        .isEqualTo("4800 more problems not shown (fix the ones above first)");
  }

  @Test
  void read_endlessDevice_refusedAfterTheLimit() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero));

    PolicyLoader.Result result = PolicyLoader.read(zero);

    assertThat(result.errors())
        .singleElement()
        .extracting(Diagnostic::message)
        .isEqualTo(
            "file is larger than 1 MiB; the limit is 1 MiB (1048576 bytes) for a Gatehouse YAML"
                + " file");
  }

  private Path writeTemp(byte[] bytes) {
    try {
      Path file = Files.createTempFile(dir, "t", ".yaml");
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
