package dev.gatehouse.proxy.testing;

/**
 * The policies and DNS names the socket tests share. Names resolve (through {@link TestDnsServer})
 * to loopback only; the policy opens 127.0.0.1/32 only, so every answer on 127.0.0.2 or ::1 must be
 * refused by the address checks.
 */
public final class TestPolicies {
  private TestPolicies() {}

  /** Resolves to 127.0.0.1, where the upstream fixtures listen. */
  public static final String ORIGIN = "origin.test";

  /** Resolves to 127.0.0.1; named in the TLS upstream's certificate with {@link #ORIGIN}. */
  public static final String GIT = "git.test";

  /** Resolves to 127.0.0.2 (a canary). */
  public static final String CANARY_V4 = "canary.test";

  /** Resolves (AAAA) to ::1 (a canary). */
  public static final String CANARY_V6 = "canary6.test";

  /** Resolves (AAAA) to ::ffff:127.0.0.2, an IPv4-mapped canary. */
  public static final String CANARY_MAPPED = "mapped.test";

  /** Resolves to 127.0.0.1 and 127.0.0.2: one allowed address is not enough. */
  public static final String MIXED_V4 = "mixed.test";

  /** Resolves to 127.0.0.1 (A) and ::1 (AAAA). */
  public static final String MIXED_V6 = "mixed6.test";

  /** Below a deny rule; resolves to 127.0.0.1 so a wrong lookup-and-connect would succeed. */
  public static final String DENIED = "leak.denied.test";

  /** Allowed by the rules but unknown to the DNS server (NXDOMAIN). */
  public static final String MISSING = "missing.test";

  /** Matches no rule: default deny. Never resolvable. */
  public static final String UNLISTED = "nowhere.example";

  /**
   * {@code **.test} allowed on every port, every loopback literal allowed by the rules (so it is
   * the address check, not the rules, that must refuse them), {@code **.denied.test} denied.
   */
  public static final String STANDARD =
      """
      version: 1
      defaults: {action: deny, mode: enforce}
      network: {allow_cidrs: [127.0.0.1/32]}
      rules:
        - id: test-origins
          allow: ["**.test"]
          ports: ["1-65535"]
        - id: loopback-literals
          allow: ["127.0.0.0/8", "0.0.0.0/8", "::1/128", "::/128", "::ffff:0:0/96"]
          ports: ["1-65535"]
        - id: no-exfil
          deny: ["**.denied.test"]
          ports: ["1-65535"]
      anonymous: default
      """;

  /** A DNS server answering every name above. */
  public static TestDnsServer standardDns() {
    return TestDnsServer.create()
        .map(ORIGIN, "127.0.0.1")
        .map(GIT, "127.0.0.1")
        .map("www." + ORIGIN, "127.0.0.1")
        .map(CANARY_V4, "127.0.0.2")
        .map(CANARY_V6, "::1")
        .map(CANARY_MAPPED, "::ffff:127.0.0.2")
        .map(MIXED_V4, "127.0.0.1", "127.0.0.2")
        .map(MIXED_V6, "127.0.0.1", "::1")
        .map(DENIED, "127.0.0.1");
  }
}
