package dev.gatehouse.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The environment a sandbox needs to go through Gatehouse (SPEC §8), rendered for a shell, an env
 * file or JSON. A value may hold one reference to another variable ({@code ${VAR}}) that the
 * sandbox expands, so a token need not be printed.
 */
final class SandboxEnv {
  enum Format {
    SH,
    DOTENV,
    JSON
  }

  /**
   * One variable: {@code before + ${reference} + after}, or just {@code before} when there is no
   * reference.
   */
  record Var(String name, String before, Optional<String> reference, String after) {
    Var {
      if (reference.isEmpty()) { // one literal: keep it all in before
        before = before + after;
        after = "";
      }
    }

    static Var literal(String name, String value) {
      return new Var(name, value, Optional.empty(), "");
    }

    String plain() {
      return before + reference.map(r -> "${" + r + "}").orElse("") + after;
    }
  }

  /**
   * Tools that read a CA file from the environment, and why each is here. Most of them replace the
   * tool's own trust store, hence the bundle with the system roots.
   */
  static final List<String[]> CA_VARIABLES =
      List.of(
          new String[] {"SSL_CERT_FILE", "OpenSSL users: Python ssl/httpx, Ruby, Go, uv, curl"},
          new String[] {"REQUESTS_CA_BUNDLE", "Python requests (ignores SSL_CERT_FILE)"},
          new String[] {"CURL_CA_BUNDLE", "curl"},
          new String[] {"GIT_SSL_CAINFO", "git over HTTPS"},
          new String[] {"PIP_CERT", "pip (vendors its own bundle)"},
          new String[] {"NODE_EXTRA_CA_CERTS", "Node.js and Bun (added to the built-in roots)"},
          new String[] {"npm_config_cafile", "npm and yarn v1"},
          new String[] {"CARGO_HTTP_CAINFO", "cargo"},
          new String[] {"AWS_CA_BUNDLE", "AWS CLI and SDKs"},
          new String[] {"DENO_CERT", "Deno"},
          new String[] {"BUNDLE_SSL_CA_CERT", "Ruby bundler"},
          new String[] {"COMPOSER_CAFILE", "PHP composer"},
          new String[] {"HEX_CACERTS_PATH", "Elixir hex/mix"},
          new String[] {"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "gRPC core (Python, Ruby, C++)"});

  private final List<Var> vars = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void add(Var var) {
    vars.add(var);
  }

  void note(String note) {
    notes.add(note);
  }

  List<Var> vars() {
    return List.copyOf(vars);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  void addCaVariables(String bundle, Optional<String> javaTruststore) {
    for (String[] v : CA_VARIABLES) {
      add(Var.literal(v[0], bundle));
    }
    note(
        "wget reads no CA variable: when it is built with GnuTLS (Debian's is) put"
            + " 'ca_certificate = "
            + bundle
            + "' in a file and set WGETRC to that file.");
    javaTruststore.ifPresent(
        p ->
            note(
                "Java reads no CA variable: JAVA_TOOL_OPTIONS points javax.net.ssl.trustStore at "
                    + p
                    + " (system roots + Gatehouse CA)."));
  }

  String format(Format format) {
    return switch (format) {
      case SH -> lines(true);
      case DOTENV -> lines(false);
      case JSON -> json();
    };
  }

  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:@,%+=|-]*");

  private String lines(boolean shell) {
    StringBuilder out = new StringBuilder();
    for (Var v : vars) {
      if (shell) {
        out.append("export ");
      }
      out.append(v.name()).append('=');
      if (v.reference().isPresent()) {
        out.append('"')
            .append(doubleQuoted(v.before()))
            .append("${")
            .append(v.reference().get())
            .append('}')
            .append(doubleQuoted(v.after()))
            .append('"');
      } else if (BARE.matcher(v.before()).matches() && !v.before().isEmpty()) {
        out.append(v.before());
      } else if (shell) {
        out.append('\'').append(v.before().replace("'", "'\\''")).append('\'');
      } else if (v.before().indexOf('\'') < 0) {
        out.append('\'').append(v.before()).append('\'');
      } else {
        out.append('"').append(doubleQuoted(v.before())).append('"');
      }
      out.append('\n');
    }
    for (String note : notes) {
      out.append("# ").append(note).append('\n');
    }
    return out.toString();
  }

  private static String doubleQuoted(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c == '$' || c == '`') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  private String json() {
    StringBuilder out = new StringBuilder("{\n");
    for (int i = 0; i < vars.size(); i++) {
      Var v = vars.get(i);
      out.append("  ")
          .append(jsonString(v.name()))
          .append(": ")
          .append(jsonString(v.plain()))
          .append(i + 1 < vars.size() ? ",\n" : "\n");
    }
    return out.append("}\n").toString();
  }

  static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
