package dev.shadowparity;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a state, never for a time: polls a condition until it holds or a generous deadline passes. */
public final class Await {

  private Await() {}

  /** Returns once {@code condition} holds; fails naming {@code what} when it does not within {@code atMost}. */
  public static void until(BooleanSupplier condition, Duration atMost, String what) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + atMost.toSeconds() + " s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
