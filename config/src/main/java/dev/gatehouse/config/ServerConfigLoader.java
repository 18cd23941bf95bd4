package dev.gatehouse.config;

import dev.gatehouse.config.model.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads {@code gatehouse.yaml} (SPEC §9) into a {@link ServerConfig}, or refuses it. */
public final class ServerConfigLoader {
  private ServerConfigLoader() {}

  /** The config when the file had no errors, and every diagnostic found. */
  public record Result(Optional<ServerConfig> config, List<Diagnostic> diagnostics) {
    public Result {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
      return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public ServerConfig orThrow() throws ConfigException {
      if (hasErrors() || config.isEmpty()) {
        throw new ConfigException(errors());
      }
      return config.get();
    }
  }

  /** Loads {@code file}; relative paths in it resolve against its folder. */
  public static ServerConfig load(Path file) throws ConfigException {
    return read(file).orThrow();
  }

  /** Reads {@code file}, collecting every error. */
  public static Result read(Path file) {
    String source = file.toString();
    Path baseDir = file.toAbsolutePath().normalize().getParent();
    try {
      return ServerConfigReader.read(PolicyLoader.readBounded(file), source, baseDir, home());
    } catch (IOException e) {
      return new Result(Optional.empty(), List.of(PolicyLoader.unreadable(source, e)));
    }
  }

  /**
   * Parses a server config held in memory (tests, flags); relative paths resolve against {@code
   * baseDir}, {@code sourceName} appears in diagnostics.
   */
  public static ServerConfig parse(String yaml, String sourceName, Path baseDir)
      throws ConfigException {
    return read(yaml, sourceName, baseDir).orThrow();
  }

  /** Like {@link #parse} but collects every diagnostic instead of throwing. */
  public static Result read(String yaml, String sourceName, Path baseDir) {
    return ServerConfigReader.read(
        yaml.getBytes(StandardCharsets.UTF_8),
        sourceName,
        baseDir.toAbsolutePath().normalize(),
        home());
  }

  private static Path home() {
    return Path.of(System.getProperty("user.home", "."));
  }
}
