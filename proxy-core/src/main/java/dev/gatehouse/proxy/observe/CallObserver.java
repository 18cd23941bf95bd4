package dev.gatehouse.proxy.observe;

import java.util.List;
import java.util.Map;

/**
 * Receives every call the proxy decides. Implementations (spans, audit, metrics) must never block
 * the event loop: hand work to a queue and count what is dropped.
 */
public interface CallObserver {

  CallHandle begin(CallStart start);

  /** A non-call audit record: policy reload, mode switch, approval. Default: ignored. */
  default void record(String type, Map<String, Object> fields) {}

  CallHandle NOOP_HANDLE =
      new CallHandle() {
        @Override
        public void event(String name, Map<String, String> attributes) {}

        @Override
        public void end(CallEnd end) {}
      };

  CallObserver NOOP = start -> NOOP_HANDLE;

  /** Fans out to several observers, in order. */
  static CallObserver composite(List<CallObserver> observers) {
    List<CallObserver> all = List.copyOf(observers);
    if (all.isEmpty()) {
      return NOOP;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    return new CompositeObserver(all);
  }
}
