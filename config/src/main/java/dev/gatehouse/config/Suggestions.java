package dev.gatehouse.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "did you mean ...?" for unknown keys and values: a candidate within edit distance 2 (1 for words
 * shorter than 6 characters, where 2 edits turn {@code hosts} into {@code ports}), or one that is a
 * prefix of the other ({@code method}/{@code methods}, {@code reporting}/{@code report}).
 */
final class Suggestions {
  private static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  /** The closest candidate to {@code given}, if one is close enough to be a likely typo. */
  static Optional<String> closest(String given, Collection<String> candidates) {
    String lower = given.toLowerCase(Locale.ROOT);
    int allowed = lower.length() < 6 ? 1 : MAX_DISTANCE;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT), MAX_DISTANCE + 1);
      boolean prefix =
          lower.length() >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate));
      if (distance > allowed && !prefix) {
        continue;
      }
      int score = distance > allowed ? MAX_DISTANCE + 1 : distance;
      if (score < bestDistance) {
        best = candidate;
        bestDistance = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** " (did you mean 'x'?)" or "". */
  static String hint(String given, Collection<String> candidates) {
    return closest(given, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
  }

  /** Levenshtein distance, giving up (returning {@code limit}) once it must exceed it. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return Math.min(previous[b.length()], limit);
  }
}
