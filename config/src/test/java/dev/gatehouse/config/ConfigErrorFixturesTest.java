package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One YAML fixture per config error. Each fixture starts with comment lines {@code # expect:
 * LINE:COL message fragment} (one per error it must produce) and {@code # warn: LINE:COL fragment}
 * (one per warning); the file must produce exactly those diagnostics. Fixtures under {@code
 * errors/} are policies, under {@code server-errors/} server configs, under {@code cases-errors/}
 * {@code gatehouse test} cases files, under {@code hostile/} policies written to attack the parser.
 */
class ConfigErrorFixturesTest {
  private static final Pattern HEADER = Pattern.compile("# (expect|warn): (\\d+):(\\d+) (.+)");

  record Expectation(boolean error, int line, int column, String fragment) {
    boolean matches(Diagnostic d) {
      return d.isError() == error
          && d.location().line() == line
          && d.location().column() == column
          && d.message().contains(fragment);
    }

    @Override
    public String toString() {
      return (error ? "error " : "warning ") + line + ":" + column + " " + fragment;
    }
  }

  static Stream<Path> fixtures() throws IOException {
    List<Path> all = new ArrayList<>();
    for (String dir : List.of("errors", "server-errors", "cases-errors", "hostile")) {
      try (Stream<Path> files = Files.list(PolicyLoaderTest.resource(dir))) {
        files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(all::add);
      }
    }
    assertThat(all).hasSizeGreaterThan(60);
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void load_errorFixture_reportsExpectedLocatedDiagnostics(Path fixture) throws IOException {
    List<Expectation> expected = expectations(fixture);
    String kind = fixture.getParent().getFileName().toString();
    boolean server = kind.equals("server-errors");
    boolean cases = kind.equals("cases-errors");

    List<Diagnostic> diagnostics =
        server
            ? ServerConfigLoader.read(fixture).diagnostics()
            : cases ? casesDiagnostics(fixture) : PolicyLoader.read(fixture).diagnostics();

    assertThat(expected).as("fixture has no '# expect:' or '# warn:' header").isNotEmpty();
    for (Expectation e : expected) {
      assertThat(diagnostics)
          .as("expected %s", e)
          .anySatisfy(d -> assertThat(e.matches(d)).isTrue());
    }
    assertThat(diagnostics)
        .as("every diagnostic is expected")
        .allSatisfy(
            d -> assertThat(expected.stream().anyMatch(e -> e.matches(d))).as(d.format()).isTrue());
    assertThat(diagnostics).hasSameSizeAs(expected);
    assertThat(diagnostics)
        .allSatisfy(d -> assertThat(d.location().file()).isEqualTo(fixture.toString()));

    if (expected.stream().anyMatch(Expectation::error)) {
      assertThatThrownBy(
              () -> {
                if (server) {
                  ServerConfigLoader.load(fixture);
                } else if (cases) {
                  TestCasesLoader.load(fixture);
                } else {
                  PolicyLoader.load(fixture);
                }
              })
          .isInstanceOfSatisfying(
              ConfigException.class,
              ex ->
                  assertThat(ex.diagnostics())
                      .hasSize((int) expected.stream().filter(Expectation::error).count()));
    }
  }

  private static List<Diagnostic> casesDiagnostics(Path fixture) {
    try {
      TestCasesLoader.load(fixture);
      return List.of();
    } catch (ConfigException e) {
      return e.diagnostics();
    }
  }

  private static List<Expectation> expectations(Path fixture) throws IOException {
    List<Expectation> expected = new ArrayList<>();
    for (String line : Files.readAllLines(fixture, StandardCharsets.ISO_8859_1)) {
      Matcher m = HEADER.matcher(line);
      if (!m.matches()) {
        break;
      }
      expected.add(
          new Expectation(
              m.group(1).equals("expect"),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              m.group(4)));
    }
    return expected;
  }
}
