/**
 * Loading Gatehouse's YAML files into immutable model records, with located diagnostics.
 *
 * <p>{@link dev.gatehouse.config.PolicyLoader} reads a policy (SPEC §2), {@link
 * dev.gatehouse.config.ServerConfigLoader} a server config (SPEC §9). Both collect every problem in
 * a file rather than stopping at the first, each as a {@link dev.gatehouse.config.Diagnostic}
 * printed {@code file:line:col: error|warning: key.path: message} (1-based line and column; list
 * indexes in key paths 0-based, e.g. {@code rules[2].methods[0]}). Unknown keys and values get a
 * "did you mean" when one is close. Hostile input is refused before it can cost much: files over 1
 * MiB, non-UTF-8 or binary text, aliases, explicit tags, more than one document and nesting deeper
 * than 32 levels (see {@link dev.gatehouse.config.yaml.YamlReader}).
 */
package dev.gatehouse.config;
