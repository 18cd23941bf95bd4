package dev.gatehouse.proxy.admin;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.proxy.audit.Json;
import dev.gatehouse.proxy.audit.UrlRedaction;
import dev.gatehouse.proxy.observe.CallEnd;
import dev.gatehouse.proxy.observe.CallHandle;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.observe.CallStart;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@value #CAPACITY} decided calls, in memory, for {@code GET /v1/decisions} (SPEC §6):
 * what an operator or approver looks at to see what is being blocked right now, without the audit
 * file. A call is kept when it ends; a ring overwrites the oldest. Recording is one array store and
 * one atomic increment per call, never a lock, so event loops never wait on a reader (who may,
 * under load, see a slot overwritten while it reads: this is a view of the moment, the audit log is
 * the record).
 */
public final class RecentDecisions implements CallObserver {
  static final int CAPACITY = 1024; // a power of two
  private static final int MASK = CAPACITY - 1;

  private final AtomicReferenceArray<Call> ring = new AtomicReferenceArray<>(CAPACITY);
  private final AtomicLong ended = new AtomicLong();

  @Override
  public CallHandle begin(CallStart start) {
    return new Call(start);
  }

  /**
   * The newest calls first, at most {@code limit} of them; with {@code blockedOnly}, only those
   * whose decision was {@code deny} or {@code ask} (enforced or, in report mode, only recorded).
   */
  List<Call> newest(int limit, boolean blockedOnly) {
    List<Call> out = new ArrayList<>(Math.min(limit, CAPACITY));
    long last = ended.get();
    for (long i = last - 1; i >= 0 && i >= last - CAPACITY && out.size() < limit; i--) {
      Call c = ring.get((int) (i & MASK));
      if (c != null && (!blockedOnly || c.end.decision().action() != Action.ALLOW)) {
        out.add(c);
      }
    }
    return out;
  }

  /** {@code {"capacity":…,"decisions":[…]}}, each decision with the audit line's field names. */
  String json(int limit, boolean blockedOnly) {
    StringBuilder out = new StringBuilder(256 + 400 * Math.min(limit, 64));
    out.append("{\"capacity\":").append(CAPACITY).append(",\"decisions\":[");
    boolean first = true;
    for (Call c : newest(limit, blockedOnly)) {
      if (!first) {
        out.append(',');
      }
      first = false;
      c.appendJson(out);
    }
    return out.append("]}\n").toString();
  }

  /** One call: its handle while in flight, then its entry in the ring. */
  final class Call implements CallHandle {
    final CallStart start;
    volatile CallEnd end;

    Call(CallStart start) {
      this.start = start;
    }

    @Override
    public void event(String name, Map<String, String> attributes) {}

    @Override
    public void end(CallEnd callEnd) {
      end = callEnd;
      ring.set((int) (ended.getAndIncrement() & MASK), this);
    }

    void appendJson(StringBuilder out) {
      CallEnd e = end;
      Decision d = e.decision();
      out.append("{\"ts\":\"");
      Json.timestamp(out, start.startTime());
      out.append('"');
      field(out, "request_id", start.requestId());
      field(out, "kind", start.kind().wireName());
      field(out, "agent", d.agent());
      field(out, "client_address", start.clientAddress());
      field(out, "method", e.method());
      field(out, "url", UrlRedaction.redact(e.urlFull()));
      field(out, "host", e.host());
      out.append(",\"port\":").append(e.port());
      field(out, "decision", d.action().wireName());
      field(out, "reason", d.reason().wireName());
      field(out, "rule", d.ruleId());
      out.append(",\"enforced\":").append(d.enforced());
      field(out, "tls", e.tls().wireName());
      out.append(",\"status\":").append(e.statusCode());
      field(out, "policy_version", d.policyVersion());
      field(out, "approval_id", e.approvalId().orElse(null));
      out.append('}');
    }
  }

  private static void field(StringBuilder out, String key, String value) {
    out.append(",\"").append(key).append("\":");
    if (value == null) {
      out.append("null");
    } else {
      Json.string(out, value);
    }
  }
}
