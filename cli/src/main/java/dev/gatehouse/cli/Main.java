package dev.gatehouse.cli;

import dev.gatehouse.cli.command.CaCommand;
import dev.gatehouse.cli.command.CheckCommand;
import dev.gatehouse.cli.command.EnvCommand;
import dev.gatehouse.cli.command.ExplainCommand;
import dev.gatehouse.cli.command.ReportCommand;
import dev.gatehouse.cli.command.ServeCommand;
import dev.gatehouse.cli.command.TestCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: wires config, policy engine and proxy core together. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    version = "gatehouse 0.1.0",
    description = "Egress policy proxy for sandboxed agents.",
    subcommands = {
      ServeCommand.class,
      CheckCommand.class,
      ExplainCommand.class,
      TestCommand.class,
      CaCommand.class,
      EnvCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: usage errors exit 2 (SPEC §8: 0 ok/allow, 1 invalid/deny). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExitCodeExceptionMapper(e -> 2);
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return 2;
        });
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
