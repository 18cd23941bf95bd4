/** One picocli command class per gatehouse subcommand. */
package dev.gatehouse.cli.command;
