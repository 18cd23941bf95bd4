package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
  private static final List<String> RULE_KEYS = RuleReader.RULE_KEYS;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "methdos, methods", // transposition: distance 2
    "method, methods", // prefix
    "metods, methods", // one deletion
    "Methods, methods", // case only
    "alow, allow",
    "asks, ask",
    "paths_, paths",
    "commnet, comment",
  })
  void closest_nearMiss_suggestsKey(String given, String expected) {
    assertThat(Suggestions.closest(given, RULE_KEYS)).contains(expected);
  }

  @ParameterizedTest(name = "{0} -> none")
  @CsvSource({"frobnicate", "hosts", "zz", "targets"})
  void closest_farMiss_suggestsNothing(String given) {
    assertThat(Suggestions.closest(given, RULE_KEYS)).isEmpty();
  }

  @ParameterizedTest(name = "{0}/{1} = {2}")
  @CsvSource({
    "kitten, sitting, 3",
    "abc, abc, 0",
    "'', abc, 3",
    "methdos, methods, 2",
    "abcdefgh, hgfedcba, 3", // capped at the limit
  })
  void distance_limitedLevenshtein(String a, String b, int expected) {
    assertThat(Suggestions.distance(a, b, 3)).isEqualTo(expected);
  }
}
