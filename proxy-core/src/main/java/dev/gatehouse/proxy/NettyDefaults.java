package dev.gatehouse.proxy;

import io.netty.util.ResourceLeakDetector;

/** Process-wide Netty settings for a production {@code serve}; tests keep Netty's own defaults. */
public final class NettyDefaults {
  static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";

  private NettyDefaults() {}

  /**
   * Turns buffer leak detection off unless {@code -Dio.netty.leakDetection.level} asks for it:
   * Netty's default samples one buffer in 128 and records a stack trace for it, which cost ~2 % of
   * the proxy's CPU on keep-alive interception. The test suite runs with detection on.
   */
  public static void forServing() {
    if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }
}
