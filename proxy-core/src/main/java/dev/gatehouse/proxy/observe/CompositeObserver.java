package dev.gatehouse.proxy.observe;

import java.util.List;
import java.util.Map;

/** Fan-out of {@link CallObserver}s; see {@link CallObserver#composite}. */
final class CompositeObserver implements CallObserver {
  private final List<CallObserver> observers;

  CompositeObserver(List<CallObserver> observers) {
    this.observers = observers;
  }

  @Override
  public CallHandle begin(CallStart start) {
    CallHandle[] handles = new CallHandle[observers.size()];
    for (int i = 0; i < handles.length; i++) {
      handles[i] = observers.get(i).begin(start);
    }
    return new CallHandle() {
      @Override
      public void event(String name, Map<String, String> attributes) {
        for (CallHandle h : handles) {
          h.event(name, attributes);
        }
      }

      @Override
      public void end(CallEnd end) {
        for (CallHandle h : handles) {
          h.end(end);
        }
      }
    };
  }

  @Override
  public void record(String type, Map<String, Object> fields) {
    for (CallObserver o : observers) {
      o.record(type, fields);
    }
  }
}
