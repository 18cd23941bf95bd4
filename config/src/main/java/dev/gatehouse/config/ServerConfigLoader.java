package dev.gatehouse.config;

import dev.gatehouse.config.model.ServerConfig;
import java.nio.file.Path;

/** Reads {@code gatehouse.yaml} (SPEC §9) into a {@link ServerConfig}, or refuses it. */
public final class ServerConfigLoader {
  private ServerConfigLoader() {}

  /** Loads {@code file}; relative paths in it resolve against its folder. */
  public static ServerConfig load(Path file) throws ConfigException {
    throw new UnsupportedOperationException("TODO: config helper");
  }
}
