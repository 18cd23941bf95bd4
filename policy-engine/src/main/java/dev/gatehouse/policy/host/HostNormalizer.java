package dev.gatehouse.policy.host;

import dev.gatehouse.policy.Host;

/** Host normalisation per SPEC §2.2: implemented by the engine helper. */
public final class HostNormalizer {
  private HostNormalizer() {}

  public static Host parse(String raw) {
    throw new UnsupportedOperationException("TODO: engine helper");
  }
}
