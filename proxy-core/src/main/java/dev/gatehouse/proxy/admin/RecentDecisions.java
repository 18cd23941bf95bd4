package dev.gatehouse.proxy.admin;

import dev.gatehouse.config.model.Action;
import dev.gatehouse.proxy.audit.DecisionRecord;
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

  /** {@code {"capacity":…,"decisions":[…]}}, each decision as its audit line would be. */
  String json(int limit, boolean blockedOnly) {
    StringBuilder out = new StringBuilder(256 + 400 * Math.min(limit, 64));
    out.append("{\"capacity\":").append(CAPACITY).append(",\"decisions\":[");
    boolean first = true;
    for (Call c : newest(limit, blockedOnly)) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(c.json());
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

    /** The audit line's {@code decision} record; ids this ring does not keep are null. */
    String json() {
      return new DecisionRecord(start, end, null, null, null).toJson();
    }
  }
}
