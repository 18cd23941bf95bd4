package dev.gatehouse.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.model.Mode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Request;
import dev.gatehouse.proxy.metrics.MetricsRegistry;
import dev.gatehouse.proxy.metrics.ProxyMetrics;
import dev.gatehouse.proxy.pipeline.TestContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeSwitchTest {
  private static final String AGENTS =
      "agents:\n  pinned:\n    token_sha256: \"" + "ab".repeat(32) + "\"\n    mode: enforce\n";
  private static final String ENFORCING =
      "version: 1\ndefaults: {action: deny}\nrules:\n  - id: a\n    allow: [a.example]\n" + AGENTS;
  private static final String EDITED =
      "version: 1\ndefaults: {action: deny}\nrules:\n  - id: a\n    allow: [a.example]\n"
          + "  - id: b\n    allow: [b.example]\n"
          + AGENTS;

  @TempDir Path dir;

  private static Decision decide(PolicyHolder holder, String host) {
    return decide(holder, "ci", host);
  }

  private static Decision decide(PolicyHolder holder, String agent, String host) {
    return holder.current().engine().decide(Request.connect(agent, Host.parse(host), 443));
  }

  @Test
  void report_letsDefaultDenialsThrough_agentsWithTheirOwnModeKeepIt_andPolicyReturns()
      throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, ENFORCING);
    PolicyHolder holder = new PolicyHolder(PolicyLoading.fromFile(policy, k -> null));
    TestContexts.RecordingObserver observer = new TestContexts.RecordingObserver();
    ModeSwitch modes = new ModeSwitch(holder, k -> null, observer);

    ModeSwitch.Result r = modes.switchTo(Optional.of(Mode.REPORT));
    assertThat(r.oldMode()).isEqualTo(Mode.ENFORCE);
    assertThat(r.newMode()).isEqualTo(Mode.REPORT);
    assertThat(decide(holder, "other.example").enforced()).isFalse();
    assertThat(decide(holder, "pinned", "other.example").enforced()).isTrue(); // its own mode
    assertThat(holder.current().declaredMode()).isEqualTo(Mode.ENFORCE);
    assertThat(modes.current().overridden()).isTrue();

    modes.switchTo(Optional.empty());
    assertThat(holder.current().mode()).isEqualTo(Mode.ENFORCE);
    assertThat(decide(holder, "other.example").enforced()).isTrue();
    assertThat(modes.current().overridden()).isFalse();

    assertThat(observer.records).hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) observer.records.get(0).get("fields");
    assertThat(observer.records.get(0).get("type")).isEqualTo("mode_switch");
    assertThat(first)
        .containsEntry("old_mode", "enforce")
        .containsEntry("new_mode", "report")
        .containsEntry("source", "admin");
  }

  @Test
  void aReload_keepsTheSwitchedMode() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, ENFORCING);
    PolicyHolder holder = new PolicyHolder(PolicyLoading.fromFile(policy, k -> null));
    ModeSwitch modes = new ModeSwitch(holder, k -> null, new TestContexts.RecordingObserver());
    modes.switchTo(Optional.of(Mode.REPORT));
    try (PolicyReloader reloader =
        new PolicyReloader(
            policy,
            holder,
            k -> null,
            new TestContexts.RecordingObserver(),
            new ProxyMetrics(new MetricsRegistry()),
            0)) {
      reloader.start();
      Files.writeString(policy, EDITED);
      PolicyReloader.Result reloaded = reloader.reloadNow().get(10, TimeUnit.SECONDS);
      assertThat(reloaded.outcome()).isEqualTo(PolicyReloader.Outcome.RELOADED);
    }
    assertThat(decide(holder, "b.example").action().wireName()).isEqualTo("allow");
    assertThat(holder.current().mode()).isEqualTo(Mode.REPORT);
    assertThat(decide(holder, "other.example").enforced()).isFalse();
    assertThat(holder.current().declaredMode()).isEqualTo(Mode.ENFORCE);
  }
}
