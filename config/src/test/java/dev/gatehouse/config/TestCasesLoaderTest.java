package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.config.model.TestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCasesLoaderTest {
  @TempDir Path dir;

  @Test
  void load_flowAndBlockCases_readsEveryField() throws Exception {
    Path file = dir.resolve("cases.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "- {agent: ci, request: \"GET https://pypi.org/simple/\", expect: allow,"
                + " rule: python-packages}",
            "- request: CONNECT evil.example:443",
            "  expect: deny",
            "  reason: default_deny",
            "  resolve: {mirror.internal: [10.0.0.1, '::1']}",
            ""));

    List<TestCase> cases = TestCasesLoader.load(file);

    assertThat(cases).hasSize(2);
    TestCase first = cases.get(0);
    assertThat(first.agent()).contains("ci");
    assertThat(first.request()).isEqualTo("GET https://pypi.org/simple/");
    assertThat(first.expect()).isEqualTo(Action.ALLOW);
    assertThat(first.rule()).contains("python-packages");
    assertThat(first.location()).isEqualTo(new Location(file.toString(), 1, 3));
    TestCase second = cases.get(1);
    assertThat(second.agent()).isEqualTo(Optional.empty());
    assertThat(second.reason()).contains("default_deny");
    assertThat(second.resolve()).isEqualTo(Map.of("mirror.internal", List.of("10.0.0.1", "::1")));
  }

  @Test
  void load_examplesCasesFiles_areValid() throws IOException, ConfigException {
    // Surefire runs with the module folder as working directory.
    try (var files = Files.list(Path.of("examples"))) {
      List<Path> casesFiles = files.filter(p -> p.toString().endsWith(".cases.yaml")).toList();
      assertThat(casesFiles).isNotEmpty();
      for (Path file : casesFiles) {
        assertThat(TestCasesLoader.load(file)).as(file.toString()).isNotEmpty();
      }
    }
  }
}
