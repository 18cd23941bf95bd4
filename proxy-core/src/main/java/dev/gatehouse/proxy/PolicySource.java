package dev.gatehouse.proxy;

import dev.gatehouse.policy.PolicyEngine;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the running server gets its policy: a file that is watched and hot-reloaded (SPEC §7), a
 * fixed compiled engine (tests, embedding), or the built-in default policy (deny by default, the
 * common package registries read-only).
 */
public sealed interface PolicySource {

  /** A policy file; reloaded when it changes, an invalid version never replaces a valid one. */
  record File(Path path) implements PolicySource {
    public File {
      Objects.requireNonNull(path, "path");
    }
  }

  /** A compiled engine that never changes. */
  record Fixed(PolicyEngine engine) implements PolicySource {
    public Fixed {
      Objects.requireNonNull(engine, "engine");
    }
  }

  /** The built-in default policy ({@code dev/gatehouse/proxy/default-policy.yaml}). */
  record BuiltIn() implements PolicySource {}

  static PolicySource file(Path path) {
    return new File(path);
  }

  static PolicySource fixed(PolicyEngine engine) {
    return new Fixed(engine);
  }

  static PolicySource builtInDefault() {
    return new BuiltIn();
  }
}
