package dev.gatehouse.proxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client (curl, python3, git) as a child process with a bounded time, output captured
 * to files (no pipe can fill up and block it). A process past its deadline is killed by its own
 * handle, never by name.
 */
public final class ClientProcess {
  private ClientProcess() {}

  /** What a finished client did; {@code exitCode} is -1 when it was killed at the deadline. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean timedOut() {
      return exitCode == -1;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** True when {@code tool} is on the PATH. */
  public static boolean available(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code command} in {@code workDir} with the current environment minus every proxy
   * variable, plus {@code env}.
   */
  public static Result run(
      List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("gatehouse-client", ".out");
      err = Files.createTempFile("gatehouse-client", ".err");
      ProcessBuilder pb = new ProcessBuilder(command);
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      Map<String, String> environment = pb.environment();
      // a proxy variable inherited from the machine must not steer the client elsewhere
      for (String k : List.copyOf(environment.keySet())) {
        String lower = k.toLowerCase(Locale.ROOT);
        if (lower.endsWith("_proxy") || lower.equals("proxy")) {
          environment.remove(k);
        }
      }
      environment.putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(out.toFile());
      pb.redirectError(err.toFile());
      Process process = pb.start();
      int exit;
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = process.exitValue();
      } else {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        exit = -1;
      }
      return new Result(
          exit,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // temp file
      }
    }
  }
}
