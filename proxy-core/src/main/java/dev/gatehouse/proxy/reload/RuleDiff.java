package dev.gatehouse.proxy.reload;

import dev.gatehouse.config.model.AgentModel;
import dev.gatehouse.config.model.Located;
import dev.gatehouse.config.model.PolicyModel;
import dev.gatehouse.config.model.RuleModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which rules a reload added, removed and changed, by id ({@code agent/id} for agents' rules). A
 * rule that only moved to another line is unchanged.
 */
public record RuleDiff(List<String> added, List<String> removed, List<String> changed) {
  public RuleDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  public static RuleDiff between(PolicyModel before, PolicyModel after) {
    Map<String, String> a = fingerprints(before);
    Map<String, String> b = fingerprints(after);
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : b.entrySet()) {
      String old = a.get(e.getKey());
      if (old == null) {
        added.add(e.getKey());
      } else if (!old.equals(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    for (String id : a.keySet()) {
      if (!b.containsKey(id)) {
        removed.add(id);
      }
    }
    return new RuleDiff(added, removed, changed);
  }

  private static Map<String, String> fingerprints(PolicyModel model) {
    Map<String, String> out = new LinkedHashMap<>();
    for (RuleModel r : model.rules()) {
      out.put(r.id().value(), fingerprint(r));
    }
    for (AgentModel agent : model.agents()) {
      for (RuleModel r : agent.rules()) {
        out.put(agent.name().value() + "/" + r.id().value(), fingerprint(r));
      }
    }
    return out;
  }

  private static String fingerprint(RuleModel r) {
    return r.action()
        + " "
        + values(r.targets())
        + " ports="
        + r.ports().map(RuleDiff::values).orElse("default")
        + " methods="
        + r.methods().map(RuleDiff::values).orElse("any")
        + " paths="
        + r.paths().map(RuleDiff::values).orElse("any");
  }

  private static <T> String values(List<Located<T>> list) {
    return list.stream()
        .map(l -> String.valueOf(l.value()))
        .collect(Collectors.joining(",", "[", "]"));
  }
}
