package dev.gatehouse.cli.report;

import dev.gatehouse.cli.command.ReportCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import picocli.CommandLine;

/** Runs {@code gatehouse report} in-process with a fixed clock, capturing its output. */
record ReportRun(int exitCode, String out, String err) {
  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

  static ReportRun run(String... args) {
    return run(Clock.fixed(NOW, ZoneOffset.UTC), args);
  }

  static ReportRun run(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ReportCommand(clock));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExitCodeExceptionMapper(e -> 2);
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          return 2;
        });
    int code = cli.execute(args);
    return new ReportRun(code, out.toString(), err.toString());
  }
}
