package dev.gatehouse.proxy.observe;

import java.util.Map;

/** One call in flight. {@link #end} is called exactly once, from any thread; it must not block. */
public interface CallHandle {
  /** A point event on the call (approval requested, approval answered). */
  void event(String name, Map<String, String> attributes);

  void end(CallEnd end);
}
