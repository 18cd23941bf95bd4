package dev.gatehouse.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small git repository prepared for git's dumb HTTP protocol: a bare clone with {@code
 * update-server-info} run, to be served as static files by an {@link UpstreamServer}.
 */
public final class GitFixture {
  /** Content of {@code README.txt} in the repository. */
  public static final String README = "cloned through gatehouse\n";

  /** Content of {@code dir/file.txt}. */
  public static final String NESTED = "nested\n";

  private GitFixture() {}

  /** A git environment that reads no user or system configuration and never prompts. */
  public static Map<String, String> env(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    return env;
  }

  /**
   * Creates {@code servedDir/repo.git} (bare, dumb-HTTP ready) from a one-commit work tree made
   * under {@code workDir}. Returns the bare repository's path.
   */
  public static Path createBareRepo(Path workDir, Path servedDir) {
    try {
      Path src = workDir.resolve("git-src");
      Files.createDirectories(src.resolve("dir"));
      Path bare = servedDir.resolve("repo.git");
      Map<String, String> env = env(workDir);
      git(env, workDir, "init", "-q", src.toString());
      Files.writeString(src.resolve("README.txt"), README);
      Files.writeString(src.resolve("dir/file.txt"), NESTED);
      git(env, workDir, "-C", src.toString(), "add", ".");
      git(
          env,
          workDir,
          "-C",
          src.toString(),
          "-c",
          "user.name=Test",
          "-c",
          "user.email=test@gatehouse.test",
          "commit",
          "-q",
          "-m",
          "first");
      git(env, workDir, "clone", "-q", "--bare", src.toString(), bare.toString());
      git(env, workDir, "-C", bare.toString(), "update-server-info");
      return bare;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void git(Map<String, String> env, Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ClientProcess.Result r = ClientProcess.run(command, env, workDir, Duration.ofSeconds(30));
    if (r.exitCode() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + r);
    }
  }
}
