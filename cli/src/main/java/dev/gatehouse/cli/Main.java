package dev.gatehouse.cli;

import dev.gatehouse.cli.command.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: wires config, policy engine and proxy core together. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    version = "gatehouse 0.1.0",
    description = "Egress policy proxy for sandboxed agents.",
    subcommands = {CommandLine.HelpCommand.class, ReportCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this without exiting). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    // usage errors exit 2 (SPEC §8: 0 valid/allow, 1 invalid/deny, 2 usage)
    cli.setExitCodeExceptionMapper(e -> 2);
    cli.setParameterExceptionHandler(
        (e, argv) -> {
          e.getCommandLine().getErr().println(e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
