package dev.gatehouse.cli.command;

import dev.gatehouse.cli.report.AuditFiles;
import dev.gatehouse.cli.report.ReportFormat;
import dev.gatehouse.cli.report.ReportQuery;
import dev.gatehouse.cli.report.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse report}: summarise blocked calls from audit files (SPEC §8, docs/audit.md). */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise blocked calls (deny and ask decisions) from audit files: totals, by agent, host,"
          + " reason and rule, over time; or, with --suggest, print policy rules that would allow"
          + " them.",
      "Reads current and rotated files, gzipped or not (e.g. audit.jsonl*), streaming."
    },
    footer = {
      "",
      "Examples:",
      "  gatehouse report --since 24h audit.jsonl*",
      "  gatehouse report --format html --output blocked.html audit.jsonl*",
      "  gatehouse report --suggest --agent ci audit.jsonl*",
      "Exit status: 0 report written, 1 a file could not be read, 2 usage error."
    })
public final class ReportCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhdw])");

  @Spec CommandSpec spec;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only calls in the last DURATION (e.g. 30m, 24h, 7d, 2w).")
  String since;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Only calls at or after TIME (RFC 3339, or a date: midnight UTC).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only calls before TIME.")
  String to;

  @Option(names = "--agent", paramLabel = "AGENT", description = "Only this agent's calls.")
  String agent;

  @Option(
      names = "--decision",
      paramLabel = "WHICH",
      defaultValue = "blocked",
      description = "blocked (deny and ask; the default), deny, ask, or all (allowed calls too).")
  String decision;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json, csv, markdown or html (one self-contained page).")
  String format;

  @Option(
      names = "--suggest",
      description = "Print YAML rules that would allow what was blocked, instead of the summary.")
  boolean suggest;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "25",
      description = "Rows per table in table and markdown formats (default 25).")
  int top;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Parameters(arity = "1..*", paramLabel = "AUDIT_FILE", description = "Audit files to read.")
  List<Path> files;

  private final Clock clock;

  public ReportCommand() {
    this(Clock.systemUTC());
  }

  /** With an injected clock: {@code --since} and the report's "generated" time read it. */
  public ReportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    ReportQuery query = query();
    ReportFormat fmt = ReportFormat.parse(format);
    if (fmt == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--format " + format + " is not one of table, json, csv, markdown, html");
    }
    if (top < 1) {
      throw new ParameterException(spec.commandLine(), "--top " + top + " must be at least 1");
    }
    Summary summary;
    try {
      summary = AuditFiles.summarise(query, files);
    } catch (NoSuchFileException e) {
      spec.commandLine().getErr().println("gatehouse report: no such file: " + e.getFile());
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("gatehouse report: cannot read audit files: " + e);
      return 1;
    }
    String text = suggest ? summary.suggestRules() : fmt.render(summary, clock.instant(), top);
    if (output != null) {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
    }
    return 0;
  }

  private ReportQuery query() {
    if (since != null && (from != null || to != null)) {
      throw new ParameterException(spec.commandLine(), "--since cannot be used with --from/--to");
    }
    Optional<Instant> lo = Optional.empty();
    Optional<Instant> hi = Optional.empty();
    if (since != null) {
      Instant now = clock.instant();
      lo = Optional.of(now.minus(duration(since)));
      hi = Optional.of(now);
    }
    if (from != null) {
      lo = Optional.of(time("--from", from));
    }
    if (to != null) {
      hi = Optional.of(time("--to", to));
    }
    Set<String> decisions =
        switch (decision.toLowerCase(Locale.ROOT)) {
          case "blocked" -> ReportQuery.BLOCKED;
          case "deny" -> Set.of("deny");
          case "ask" -> Set.of("ask");
          case "all" -> ReportQuery.ALL;
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "--decision " + decision + " is not one of blocked, deny, ask, all");
        };
    try {
      return new ReportQuery(lo, hi, Optional.ofNullable(agent), decisions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ParameterException(
          spec.commandLine(), "--since " + text + " is not a duration like 30m, 24h, 7d or 2w");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  private Instant time(String option, String text) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new ParameterException(
          spec.commandLine(),
          option + " " + text + " is not an RFC 3339 time (2026-11-27T01:00:00Z) or a date");
    }
  }
}
