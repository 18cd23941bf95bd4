/** The gatehouse command line (picocli): one class per subcommand in {@code cli.command}. */
package dev.gatehouse.cli;
