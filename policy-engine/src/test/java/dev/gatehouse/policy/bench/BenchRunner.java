package dev.gatehouse.policy.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the benchmarks through Surefire, the one way to get the reactor's test classpath here
 * without installing snapshots (the exec, antrun and dependency plugins do not resolve offline).
 * Skipped unless {@code -Dbench=jmh|footprint} is given; not matched by Surefire's default includes
 * either, so plain builds never run it. Command lines are in BENCHMARKS.md.
 *
 * <p>JMH forks a JVM with {@code java.class.path}; inside Surefire that is only the booter jar, so
 * the real test classpath (which Surefire publishes as {@code surefire.test.class.path}) is put
 * there first.
 */
class BenchRunner {

  @Test
  void run() throws Exception {
    String bench = System.getProperty("bench", "");
    assumeTrue(!bench.isEmpty(), "set -Dbench=jmh or -Dbench=footprint to run benchmarks");
    String args = System.getProperty("bench.args", "").trim();
    String[] argv = args.isEmpty() ? new String[0] : args.split("\\s+");
    switch (bench) {
      case "jmh" -> {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp != null) {
          System.setProperty("java.class.path", cp);
        }
        new Runner(new CommandLineOptions(argv)).run();
      }
      case "footprint" -> CompileFootprint.main(argv);
      default -> throw new IllegalArgumentException("unknown -Dbench=" + bench);
    }
  }
}
