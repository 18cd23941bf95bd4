package dev.gatehouse.config;

import dev.gatehouse.config.model.PolicyModel;
import java.nio.file.Path;

/** Reads a policy file (SPEC §2) into a {@link PolicyModel}, or refuses it with located errors. */
public final class PolicyLoader {
  private PolicyLoader() {}

  /** Loads and validates {@code file}; relative paths in it resolve against its folder. */
  public static PolicyModel load(Path file) throws ConfigException {
    throw new UnsupportedOperationException("TODO: config helper");
  }

  /** Parses policy YAML held in memory; {@code sourceName} appears in diagnostics. */
  public static PolicyModel parse(String yaml, String sourceName) throws ConfigException {
    throw new UnsupportedOperationException("TODO: config helper");
  }
}
