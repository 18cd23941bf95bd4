package dev.gatehouse.policy.match;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4/IPv6 prefixes with a lookup whose cost does not depend on how many there
 * are. Used for {@code network.allow_cidrs}, {@code network.deny_cidrs} and agents' {@code
 * source_cidrs}. IPv4-mapped IPv6 addresses are looked up as the IPv4 address they carry.
 */
public final class CidrSet {
  public static final CidrSet EMPTY = new CidrSet(List.of());

  private final List<Cidr> cidrs;
  private final CidrTable<Cidr> table = new CidrTable<>();

  private CidrSet(Collection<Cidr> cidrs) {
    this.cidrs = List.copyOf(cidrs);
    for (Cidr c : this.cidrs) {
      table.add(c, c);
    }
  }

  public static CidrSet of(Collection<Cidr> cidrs) {
    return cidrs.isEmpty() ? EMPTY : new CidrSet(cidrs);
  }

  /**
   * Parses every text with {@link Cidr#parse}.
   *
   * @throws IllegalArgumentException at the first text that is not a CIDR
   */
  public static CidrSet parse(Collection<String> texts) {
    return of(texts.stream().map(Cidr::parse).toList());
  }

  public boolean contains(InetAddress address) {
    return table.containsAny(address);
  }

  /** True when some prefix of this set contains every address of {@code cidr}. */
  public boolean containsAll(Cidr cidr) {
    return cidrs.stream().anyMatch(c -> c.contains(cidr));
  }

  public boolean isEmpty() {
    return cidrs.isEmpty();
  }

  public List<Cidr> cidrs() {
    return cidrs;
  }

  @Override
  public String toString() {
    return cidrs.toString();
  }
}
