package dev.gatehouse.proxy.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lifecycle the test servers share when registered with {@code @RegisterExtension}: as a static
 * field, one server for the test class (started before all, {@link #betweenTests} before each,
 * closed after all); as an instance field, one server per test.
 */
abstract class ClassOrTestResource
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AutoCloseable {
  private boolean perTest;

  /** Starts the server; a no-op when it runs. */
  public abstract ClassOrTestResource start();

  /** Whether {@link #start} has run and {@link #close} has not. */
  abstract boolean running();

  /** Before each test of a server shared by the class: forget what the last test left. */
  void betweenTests() {}

  /** After each test, before a per-test server closes. */
  void afterTest() {}

  /** Stops the server; a no-op when it does not run. */
  @Override
  public abstract void close();

  @Override
  public final void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public final void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public final void beforeEach(ExtensionContext context) {
    if (!running()) {
      perTest = true;
      start();
    } else {
      betweenTests();
    }
  }

  @Override
  public final void afterEach(ExtensionContext context) {
    afterTest();
    if (perTest) {
      close();
    }
  }
}
