package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Diagnostic;
import dev.gatehouse.config.PolicyLoader;
import dev.gatehouse.config.model.Mode;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.auth.AgentDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Loads and compiles a policy into an {@link ActivePolicy}, or says why it cannot. */
public final class PolicyLoading {
  /** Where the built-in default policy lives on the class path. */
  public static final String BUILT_IN_RESOURCE = "/dev/gatehouse/proxy/default-policy.yaml";

  public static final String BUILT_IN_NAME = "built-in default policy";

  private PolicyLoading() {}

  /** Reads, validates and compiles {@code file}. */
  public static ActivePolicy fromFile(Path file, UnaryOperator<String> env) throws ConfigException {
    return fromFile(file, env, Optional.empty());
  }

  /** Reads, validates and compiles {@code file}, in {@code mode} when given. */
  public static ActivePolicy fromFile(Path file, UnaryOperator<String> env, Optional<Mode> mode)
      throws ConfigException {
    PolicyLoader.Result read = PolicyLoader.read(file);
    if (read.hasErrors() || read.model().isEmpty()) {
      throw new ConfigException(errors(read.diagnostics()));
    }
    return compile(read.model().get(), env, mode);
  }

  /** The built-in default policy (deny by default, package registries read-only). */
  public static ActivePolicy builtInDefault(UnaryOperator<String> env) throws ConfigException {
    return compile(PolicyLoader.parse(builtInYaml(), BUILT_IN_NAME), env);
  }

  /** An engine compiled elsewhere. */
  public static ActivePolicy fromEngine(PolicyEngine engine, UnaryOperator<String> env) {
    return new ActivePolicy(engine, AgentDirectory.compile(engine.model(), env));
  }

  public static ActivePolicy compile(PolicyModel model, UnaryOperator<String> env)
      throws ConfigException {
    return compile(model, env, Optional.empty());
  }

  /**
   * Compiles {@code model} with its {@code defaults.mode} replaced by {@code mode} when given; the
   * result remembers the mode the model declares.
   */
  public static ActivePolicy compile(
      PolicyModel model, UnaryOperator<String> env, Optional<Mode> mode) throws ConfigException {
    PolicyCompiler.Compilation c =
        PolicyCompiler.compile(mode.map(model::withDefaultMode).orElse(model));
    Optional<PolicyEngine> engine = c.engine();
    if (c.hasErrors() || engine.isEmpty()) {
      throw new ConfigException(errors(c.diagnostics()));
    }
    PolicyEngine e = engine.get();
    return new ActivePolicy(e, AgentDirectory.compile(e.model(), env), model.defaults().mode());
  }

  /** The built-in policy's YAML, for printing and copying. */
  public static String builtInYaml() {
    try (InputStream in = PolicyLoading.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + BUILT_IN_RESOURCE, e);
    }
  }

  private static List<Diagnostic> errors(List<Diagnostic> all) {
    List<Diagnostic> errors = new ArrayList<>();
    for (Diagnostic d : all) {
      if (d.isError()) {
        errors.add(d);
      }
    }
    return errors.isEmpty() ? all : errors;
  }
}
