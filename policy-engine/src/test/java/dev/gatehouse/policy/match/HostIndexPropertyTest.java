package dev.gatehouse.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.Host;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The index must return exactly the patterns that match on their own: no more, no fewer. */
class HostIndexPropertyTest {

  @Property(tries = 300)
  void forEachMatch_randomPatternsAndHosts_exactlyTheMatchingPatterns(
      @ForAll("patternLists") List<String> patterns, @ForAll("hosts") List<String> hosts) {
    HostIndex<Integer> index = new HostIndex<>();
    List<HostPattern> compiled = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      HostPattern p = HostPattern.parse(patterns.get(i));
      compiled.add(p);
      index.add(p, i);
    }
    for (String h : hosts) {
      Host host = Host.parse(h);
      Set<Integer> viaIndex = new HashSet<>();
      index.forEachMatch(host, viaIndex::add);
      Set<Integer> brute = new HashSet<>();
      for (int i = 0; i < compiled.size(); i++) {
        if (compiled.get(i).matches(host)) {
          brute.add(i);
        }
      }
      assertThat(viaIndex).as("host %s in %s", h, patterns).isEqualTo(brute);
    }
  }

  private static Arbitrary<String> names() {
    Arbitrary<String> label = Arbitraries.of("a", "b", "com", "example", "x");
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    Arbitrary<String> pattern =
        Arbitraries.oneOf(
            names(),
            names().map(n -> "*." + n),
            names().map(n -> "**." + n),
            Arbitraries.just("*"),
            Arbitraries.of(
                "10.0.0.0/8", "10.1.0.0/16", "10.1.2.3", "::/0", "2001:db8::/32", "0.0.0.0/0"));
    return pattern.list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<String>> hosts() {
    Arbitrary<String> host =
        Arbitraries.oneOf(
            names(),
            Arbitraries.of(
                "10.1.2.3", "10.2.0.1", "11.0.0.1", "[2001:db8::1]", "[::1]", "10.1.255.255"));
    return host.list().ofMinSize(1).ofMaxSize(6);
  }
}
