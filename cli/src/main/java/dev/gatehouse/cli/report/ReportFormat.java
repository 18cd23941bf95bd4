package dev.gatehouse.cli.report;

import java.time.Instant;
import java.util.Locale;

/** The output formats of {@code gatehouse report}. */
public enum ReportFormat {
  TABLE,
  JSON,
  CSV,
  MARKDOWN,
  HTML;

  /** The format named {@code name} (case-insensitive; {@code md} for Markdown), or null. */
  public static ReportFormat parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("md")) {
      return MARKDOWN;
    }
    for (ReportFormat f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(n)) {
        return f;
      }
    }
    return null;
  }

  /** Renders {@code s}; {@code top} limits rows per table in the text formats. */
  public String render(Summary s, Instant generatedAt, int top) {
    return switch (this) {
      case TABLE -> TextRenderer.table(s, generatedAt, top);
      case JSON -> JsonRenderer.render(s, generatedAt);
      case CSV -> TextRenderer.csv(s);
      case MARKDOWN -> TextRenderer.markdown(s, generatedAt, top);
      case HTML -> HtmlRenderer.render(s, generatedAt);
    };
  }
}
