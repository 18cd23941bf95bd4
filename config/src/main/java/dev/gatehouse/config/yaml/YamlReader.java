package dev.gatehouse.config.yaml;

import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.Location;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns the bytes of a Gatehouse YAML file into a {@link YamlNode} tree that keeps every value's
 * line and column, refusing hostile input cleanly and fast.
 *
 * <p>{@link Utf8Text} first turns at most {@link #MAX_BYTES} into text (strict UTF-8), then two
 * passes run over that text. The first walks SnakeYAML's event stream (which never expands aliases
 * and is not recursive) and refuses aliases, explicit tags ({@code !!java.net.URL}, {@code !foo}),
 * more than one document and nesting deeper than {@link #MAX_DEPTH}, each with its location. Only a
 * file that passes is composed into nodes with {@link Yaml#compose} (whose own alias and depth
 * limits stay set as a backstop) and converted into the tree, where repeated keys are reported.
 * Nothing here constructs Java objects from YAML.
 */
public final class YamlReader {
  /** Largest accepted file, checked before any parsing. */
  public static final int MAX_BYTES = 1 << 20;

  /** Deepest accepted nesting of lists and mappings. */
  public static final int MAX_DEPTH = 32;

  private static final int MAX_ALIASES_BACKSTOP = 50;
  private static final int MAX_PRESCAN_ERRORS = 20;
  private static final String STANDARD_TAG_PREFIX = "tag:yaml.org,2002:";

  private YamlReader() {}

  /** The tree when the file could be read as YAML, and every problem found doing so. */
  public record Parsed(Optional<YamlNode> root, List<Diagnostic> diagnostics) {
    public Parsed {
      diagnostics = List.copyOf(diagnostics);
    }
  }

  /**
   * Reads {@code bytes} (UTF-8, an optional BOM) as one YAML document. The root is empty when the
   * document is empty or when the text is not acceptable YAML (the diagnostics then say why).
   */
  public static Parsed read(byte[] bytes, String source) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    if (bytes.length > MAX_BYTES) {
      diagnostics.add(tooLarge(source, bytes.length));
      return new Parsed(Optional.empty(), diagnostics);
    }
    String text = Utf8Text.decode(bytes, source, diagnostics);
    if (text == null || !prescan(text, source, diagnostics)) {
      return new Parsed(Optional.empty(), diagnostics);
    }
    Node node;
    try {
      node = new Yaml(options()).compose(new StringReader(text));
    } catch (YAMLException e) {
      diagnostics.add(fromException(e, text, source));
      return new Parsed(Optional.empty(), diagnostics);
    } catch (RuntimeException e) {
      diagnostics.add(unexpected(e, source));
      return new Parsed(Optional.empty(), diagnostics);
    }
    if (node == null) {
      return new Parsed(Optional.empty(), diagnostics);
    }
    return new Parsed(Optional.of(convert(node, "", source, diagnostics)), diagnostics);
  }

  /**
   * The error for a file over {@link #MAX_BYTES}; loaders use it before reading the whole file.
   *
   * @param size the file's size, or a negative number when unknown (a pipe or device)
   */
  public static Diagnostic tooLarge(String source, long size) {
    String what = size >= 0 ? "file is " + size + " bytes" : "file is larger than 1 MiB";
    return Diagnostic.error(
        new Location(source, 1, 1),
        "",
        what + "; the limit is 1 MiB (" + MAX_BYTES + " bytes) for a Gatehouse YAML file");
  }

  private static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES_BACKSTOP);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH + 2);
    options.setCodePointLimit(MAX_BYTES + 1);
    options.setMergeOnCompose(false);
    return options;
  }

  // ---- pass 1: events ----

  private static boolean prescan(String text, String source, List<Diagnostic> diagnostics) {
    int before = diagnostics.size();
    int depth = 0;
    int documents = 0;
    int aliases = 0;
    AliasEvent firstAlias = null;
    try {
      for (Event event : new Yaml(options()).parse(new StringReader(text))) {
        if (event instanceof DocumentStartEvent) {
          if (++documents > 1) {
            diagnostics.add(
                Diagnostic.error(
                    location(source, event.getStartMark()),
                    "",
                    "a second YAML document ('---') is not allowed: a Gatehouse file holds one"));
            break;
          }
        } else if (event instanceof AliasEvent alias) {
          // Reported once, at the first alias: a billion-laughs file has thousands.
          if (aliases++ == 0) {
            firstAlias = alias;
          }
        } else {
          String tag = null;
          if (event instanceof ScalarEvent scalar) {
            tag = scalar.getTag();
          } else if (event instanceof CollectionStartEvent collection) {
            tag = collection.getTag();
          }
          if (tag != null) {
            diagnostics.add(
                Diagnostic.error(
                    location(source, event.getStartMark()),
                    "",
                    "tag '"
                        + KeyPaths.shown(shortTag(tag))
                        + "' is not allowed: only plain YAML values (strings, numbers, true/false,"
                        + " null, lists and mappings)"));
          }
          if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
            diagnostics.add(
                Diagnostic.error(
                    location(source, event.getStartMark()),
                    "",
                    "nesting deeper than " + MAX_DEPTH + " levels is not allowed"));
            break;
          } else if (event instanceof CollectionEndEvent) {
            depth--;
          }
        }
        if (diagnostics.size() - before >= MAX_PRESCAN_ERRORS) {
          break;
        }
      }
    } catch (YAMLException e) {
      diagnostics.add(fromException(e, text, source));
    } catch (RuntimeException e) {
      diagnostics.add(unexpected(e, source));
    }
    if (firstAlias != null) {
      diagnostics.add(
          Diagnostic.error(
              location(source, firstAlias.getStartMark()),
              "",
              "alias '*"
                  + KeyPaths.shown(firstAlias.getAnchor())
                  + "' is not allowed"
                  + (aliases > 1 ? " (" + aliases + " aliases in the file)" : "")
                  + ": Gatehouse files do not use anchors, aliases or merge keys ('<<'),"
                  + " write the values out"));
    }
    return diagnostics.size() == before;
  }

  private static String shortTag(String tag) {
    return tag.startsWith(STANDARD_TAG_PREFIX)
        ? "!!" + tag.substring(STANDARD_TAG_PREFIX.length())
        : tag;
  }

  // ---- pass 2: nodes to tree ----

  private static YamlNode convert(Node node, String path, String source, List<Diagnostic> out) {
    Location location = location(source, node.getStartMark());
    if (node instanceof ScalarNode scalar) {
      return new YamlScalar(scalar.getValue(), kind(scalar.getTag()), location);
    }
    if (node instanceof SequenceNode sequence) {
      List<YamlNode> items = new ArrayList<>();
      List<Node> values = sequence.getValue();
      for (int i = 0; i < values.size(); i++) {
        items.add(convert(values.get(i), KeyPaths.index(path, i), source, out));
      }
      return new YamlSequence(items, location);
    }
    MappingNode mapping = (MappingNode) node;
    List<YamlMapping.Entry> entries = new ArrayList<>();
    Map<String, YamlScalar> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Location keyLocation = location(source, tuple.getKeyNode().getStartMark());
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        out.add(
            KeyPaths.error(
                keyLocation, path, path, "a key must be a plain string, not a list or mapping"));
        continue;
      }
      YamlScalar key = new YamlScalar(keyNode.getValue(), kind(keyNode.getTag()), keyLocation);
      String keyPath = KeyPaths.child(path, key.text());
      YamlScalar first = seen.putIfAbsent(key.text(), key);
      if (first != null) {
        out.add(
            KeyPaths.error(
                keyLocation,
                path,
                keyPath,
                "duplicate key '"
                    + KeyPaths.shown(key.text())
                    + "' (first defined at line "
                    + first.location().line()
                    + ", column "
                    + first.location().column()
                    + ")"));
        continue;
      }
      entries.add(new YamlMapping.Entry(key, convert(tuple.getValueNode(), keyPath, source, out)));
    }
    return new YamlMapping(entries, location);
  }

  private static YamlScalar.Kind kind(Tag tag) {
    if (Tag.STR.equals(tag)) {
      return YamlScalar.Kind.STRING;
    } else if (Tag.INT.equals(tag)) {
      return YamlScalar.Kind.INT;
    } else if (Tag.FLOAT.equals(tag)) {
      return YamlScalar.Kind.FLOAT;
    } else if (Tag.BOOL.equals(tag)) {
      return YamlScalar.Kind.BOOL;
    } else if (Tag.NULL.equals(tag)) {
      return YamlScalar.Kind.NULL;
    }
    return YamlScalar.Kind.OTHER;
  }

  // ---- SnakeYAML errors to diagnostics ----

  private static Diagnostic fromException(YAMLException e, String text, String source) {
    if (e instanceof MarkedYAMLException marked) {
      Mark mark =
          marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      String problem = marked.getProblem() != null ? marked.getProblem() : "malformed YAML";
      String context = marked.getContext();
      String message =
          "YAML syntax error: "
              + problem.strip().replace("\\t(TAB)", "TAB")
              + (context != null && !context.isBlank() ? " (" + context.strip() + ")" : "");

      if (context != null && context.contains("scanning an alias")) {
        // An unquoted host pattern like *.example.com reads as a YAML alias.
        mark = marked.getContextMark() != null ? marked.getContextMark() : mark;
        message =
            "YAML syntax error: '*' starts an alias here; quote host patterns that start with"
                + " '*', e.g. \"*.example.com\" or \"*\"";
      }
      Location location = mark != null ? location(source, mark) : new Location(source, 1, 1);
      return Diagnostic.error(location, "", message);
    }
    if (e instanceof ReaderException reader) {
      return Diagnostic.error(
          codePointLocation(text, reader.getPosition(), source),
          "",
          String.format(
              Locale.ROOT,
              "character U+%04X is not allowed in YAML text (control characters are refused)",
              reader.getCodePoint()));
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Diagnostic.error(new Location(source, 1, 1), "", "YAML error: " + message.strip());
  }

  /** SnakeYAML promises YAMLException; anything else still becomes a diagnostic, not a trace. */
  private static Diagnostic unexpected(RuntimeException e, String source) {
    return Diagnostic.error(
        new Location(source, 1, 1),
        "",
        "could not read YAML: "
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
  }

  private static Location codePointLocation(String text, int position, String source) {
    int line = 1;
    int column = 1;
    int index = 0;
    for (int i = 0; i < text.length() && index < position; index++) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Location(source, line, column);
  }

  private static Location location(String source, Mark mark) {
    return new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
