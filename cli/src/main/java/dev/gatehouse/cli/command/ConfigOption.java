package dev.gatehouse.cli.command;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServerConfigLoader;
import dev.gatehouse.config.model.ServerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the server config whose {@code tls:} and {@code listen:} apply. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "gatehouse.yaml (SPEC §9); its relative paths resolve against its folder. Default:"
              + " built-in defaults (CA in ~/.gatehouse/, proxy on 127.0.0.1:3128).")
  Path file;

  /** The config, or empty after printing its errors as {@code file:line:col: error: ...}. */
  Optional<ServerConfig> load(PrintWriter err) {
    if (file == null) {
      return Optional.of(ServerConfig.defaults());
    }
    try {
      return Optional.of(ServerConfigLoader.load(file));
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
