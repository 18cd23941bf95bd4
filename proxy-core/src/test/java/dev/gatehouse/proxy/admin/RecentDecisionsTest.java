package dev.gatehouse.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallKind;
import dev.gatehouse.proxy.observe.Calls;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentDecisionsTest {
  private final RecentDecisions recent = new RecentDecisions();

  private void call(String id, CallEnd end) {
    recent.begin(Calls.start(id, CallKind.HTTP)).end(end);
  }

  private List<String> ids(int limit, boolean blocked) {
    return recent.newest(limit, blocked).stream().map(c -> c.start.requestId()).toList();
  }

  @Test
  void newestFirst_blockedOnlyFilters_limitCuts() {
    call("r1", Calls.allowedGet());
    call("r2", Calls.deniedGet("evil.example"));
    call("r3", Calls.allowedGet());
    call("r4", Calls.deniedGet("worse.example"));

    assertThat(ids(10, false)).containsExactly("r4", "r3", "r2", "r1");
    assertThat(ids(10, true)).containsExactly("r4", "r2");
    assertThat(ids(1, true)).containsExactly("r4");
  }

  @Test
  void callsInFlight_areNotListed_untilTheyEnd() {
    CallHandle open = recent.begin(Calls.start("open", CallKind.TUNNEL));
    call("done", Calls.allowedGet());
    assertThat(ids(10, false)).containsExactly("done");
    open.end(Calls.deniedGet("late.example"));
    assertThat(ids(10, false)).containsExactly("open", "done");
  }

  @Test
  void ring_keepsTheLastCapacityCalls() {
    int n = RecentDecisions.CAPACITY + 5;
    for (int i = 1; i <= n; i++) {
      call("r" + i, Calls.allowedGet());
    }
    List<String> ids = ids(RecentDecisions.CAPACITY, false);
    assertThat(ids).hasSize(RecentDecisions.CAPACITY);
    assertThat(ids.get(0)).isEqualTo("r" + n);
    assertThat(ids.get(ids.size() - 1)).isEqualTo("r6");
  }

  @Test
  void json_carriesTheAuditLinesFieldNames() {
    call("r1", Calls.deniedGet("evil.example"));
    String json = recent.json(10, true);
    assertThat(json)
        .startsWith("{\"capacity\":" + RecentDecisions.CAPACITY + ",\"decisions\":[{\"ts\":\"")
        .contains("\"request_id\":\"r1\"")
        .contains("\"host\":\"evil.example\"")
        .contains("\"decision\":\"deny\"")
        .contains("\"reason\":\"default_deny\"")
        .contains("\"rule\":\"default\"")
        .contains("\"enforced\":true")
        .endsWith("}]}\n");
    assertThat(recent.json(10, false)).contains("\"request_id\":\"r1\"");
  }
}
