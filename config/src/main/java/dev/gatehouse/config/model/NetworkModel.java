package dev.gatehouse.config.model;

import java.util.List;

/** {@code network:}: SSRF protection (SPEC §2.4). CIDRs kept as written, with locations. */
public record NetworkModel(
    boolean blockPrivate, List<Located<String>> allowCidrs, List<Located<String>> denyCidrs) {
  public static final NetworkModel SAFE = new NetworkModel(true, List.of(), List.of());

  public NetworkModel {
    allowCidrs = List.copyOf(allowCidrs);
    denyCidrs = List.copyOf(denyCidrs);
  }
}
