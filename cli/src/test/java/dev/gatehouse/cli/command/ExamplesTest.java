package dev.gatehouse.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped examples stay valid and keep deciding as their cases files say. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("..", "config", "examples");

  static Stream<Path> policiesWithCases() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> cases = files.filter(p -> p.toString().endsWith(".cases.yaml")).sorted().toList();
      assertThat(cases).isNotEmpty();
      return cases.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("policiesWithCases")
  void test_exampleCases_allPass(Path cases) {
    Path policy = Path.of(cases.toString().replace(".cases.yaml", ".yaml"));

    CliRun run = CliRun.of("test", policy.toString(), cases.toString());

    assertThat(run.out()).containsPattern("(?m)^\\d+ passed, 0 failed$");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }

  @Test
  void check_everyExample_isValid() throws IOException {
    String[] args;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      args =
          Stream.concat(
                  Stream.of("check"),
                  files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(Path::toString))
              .toArray(String[]::new);
    }

    CliRun run = CliRun.of(args);

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain(": error:").contains("coding-agent.yaml: ok (policy)");
  }
}
