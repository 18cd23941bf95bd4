package dev.gatehouse.config;

import dev.gatehouse.config.model.TestCase;
import java.nio.file.Path;
import java.util.List;

/** Reads a cases file: a YAML list of {@link TestCase} mappings, located. */
public final class TestCasesLoader {
  private TestCasesLoader() {}

  public static List<TestCase> load(Path file) throws ConfigException {
    throw new UnsupportedOperationException("TODO: after the config loader lands");
  }
}
