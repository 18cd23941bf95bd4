package dev.gatehouse.proxy.observe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fan-out of {@link CallObserver}s; see {@link CallObserver#composite}. An intercepted call's
 * {@link CallStart#parent} is this composite's handle for the tunnel; each observer is given its
 * own handle for that tunnel instead, so it can find its own parent (the tunnel's span).
 */
final class CompositeObserver implements CallObserver {
  private final List<CallObserver> observers;

  CompositeObserver(List<CallObserver> observers) {
    this.observers = observers;
  }

  @Override
  public CallHandle begin(CallStart start) {
    CallHandle[] parents = null;
    if (start.parent().orElse(null) instanceof Handle p && p.owner == this) {
      parents = p.handles;
    }
    CallHandle[] handles = new CallHandle[observers.size()];
    for (int i = 0; i < handles.length; i++) {
      CallStart own = start;
      if (parents != null) {
        own =
            new CallStart(
                start.requestId(),
                start.startTime(),
                start.kind(),
                Optional.of(parents[i]),
                start.propagation(),
                start.clientAddress());
      }
      handles[i] = observers.get(i).begin(own);
    }
    return new Handle(this, handles);
  }

  @Override
  public void record(String type, Map<String, Object> fields) {
    for (CallObserver o : observers) {
      o.record(type, fields);
    }
  }

  private static final class Handle implements CallHandle {
    private final CompositeObserver owner;
    private final CallHandle[] handles;

    Handle(CompositeObserver owner, CallHandle[] handles) {
      this.owner = owner;
      this.handles = handles;
    }

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
  }
}
