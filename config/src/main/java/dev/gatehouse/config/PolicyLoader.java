package dev.gatehouse.config;

import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.yaml.YamlReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads a policy file (SPEC §2) into a {@link PolicyModel}, or refuses it with located errors. */
public final class PolicyLoader {
  private PolicyLoader() {}

  /**
   * What reading a file gave: the model when the YAML was readable enough to build one (unknown
   * keys and bad values skipped, so {@code check} can also report what the engine finds), and every
   * error and warning found.
   */
  public record Result(Optional<PolicyModel> model, List<Diagnostic> diagnostics) {
    public Result {
      diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    /** The errors only. */
    public List<Diagnostic> errors() {
      return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /** The model, or a {@link ConfigException} naming every error. */
    public PolicyModel orThrow() throws ConfigException {
      if (hasErrors() || model.isEmpty()) {
        throw new ConfigException(errors());
      }
      return model.get();
    }
  }

  /** Reads {@code file}, collecting every error rather than stopping at the first. */
  public static Result read(Path file) {
    String source = file.toString();
    try {
      return PolicyReader.read(readBounded(file), source);
    } catch (IOException e) {
      return new Result(Optional.empty(), List.of(unreadable(source, e)));
    }
  }

  /** Loads {@code file}: the model, or a {@link ConfigException} naming every error. */
  public static PolicyModel load(Path file) throws ConfigException {
    return read(file).orThrow();
  }

  /** Parses policy YAML held in memory; {@code sourceName} appears in diagnostics. */
  public static PolicyModel parse(String yaml, String sourceName) throws ConfigException {
    return read(yaml, sourceName).orThrow();
  }

  /** Like {@link #parse} but collects every diagnostic instead of throwing. */
  public static Result read(String yaml, String sourceName) {
    return PolicyReader.read(PolicyReader.utf8(yaml), sourceName);
  }

  /** Reads at most {@link YamlReader#MAX_BYTES} + 1 bytes: a huge or endless file is refused. */
  static byte[] readBounded(Path file) throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) > YamlReader.MAX_BYTES) {
      throw new TooLargeException(Files.size(file));
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(YamlReader.MAX_BYTES + 1);
      if (bytes.length > YamlReader.MAX_BYTES) {
        throw new TooLargeException(-1); // a pipe or device: its real size is unknown
      }
      return bytes;
    }
  }

  /** Why {@link #readBounded} failed: the file is too large, or it cannot be read. */
  static Diagnostic unreadable(String source, IOException e) {
    if (e instanceof TooLargeException tooLarge) {
      return YamlReader.tooLarge(source, tooLarge.size);
    }
    String why =
        e instanceof NoSuchFileException
            ? "no such file"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (Files.isDirectory(Path.of(source))) {
      why = "it is a directory";
    }
    return Diagnostic.error(new Location(source, 1, 1), "", "cannot read file: " + why);
  }

  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    final long size;

    TooLargeException(long size) {
      super("file too large: " + size + " bytes");
      this.size = size;
    }
  }
}
