package dev.gatehouse.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts by one key, in bounded memory: past {@code maxKeys} distinct keys, further keys are
 * counted together under {@link #OTHER}, so a flood of random host names cannot exhaust memory.
 */
final class Dimension {
  static final String OTHER = "(other)";

  final String name;
  final String title;
  private final int maxKeys;
  private final Map<String, Stats> stats = new HashMap<>();

  Dimension(String name, String title, int maxKeys) {
    this.name = name;
    this.title = title;
    this.maxKeys = maxKeys;
  }

  void add(String key, AuditEntry e) {
    String k = key == null ? "(none)" : key;
    Stats s = stats.get(k);
    if (s == null) {
      if (stats.size() >= maxKeys) {
        k = OTHER;
        s = stats.get(k);
      }
      if (s == null) {
        s = new Stats(k);
        stats.put(k, s);
      }
    }
    s.add(e);
  }

  /** Most blocked first, then by key. */
  List<Stats> sorted() {
    List<Stats> list = new ArrayList<>(stats.values());
    list.sort(Comparator.comparingLong((Stats s) -> -s.count).thenComparing(s -> s.key));
    return list;
  }
}
