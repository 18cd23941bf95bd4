package dev.gatehouse.cli.command;

import dev.gatehouse.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a command line in process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExitCodeExceptionMapper(e -> 2);
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          return 2;
        });
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  static CliRun gatehouse(String... args) {
    return of(new Main(), args);
  }
}
