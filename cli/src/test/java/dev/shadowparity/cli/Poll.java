package dev.shadowparity.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Waits for a state, bounded: the cli tests' one polling loop (the comparator's tests have {@code Await}). A state
 * such as "the demo printed its admin URL" or "the store holds N exchanges" has no event to wait on, so it is looked
 * at every 20 ms until it holds or the deadline passes; nothing is asserted about how long that took. Public for the
 * tests of other packages (the dashboards' and the Prometheus gate's).
 */
public final class Poll {

  private Poll() {}

  /** Returns {@code check}'s first non-null value; fails with {@code what} and the last value seen past {@code max}. */
  public static <T> T until(Callable<T> check, Duration max, String what) throws Exception {
    return until(check, max, () -> what);
  }

  /**
   * As {@link #until(Callable, Duration, String)}, with the failure message made only when it fails (say, with the tail
   * of a server's log as it is then).
   */
  public static <T> T until(Callable<T> check, Duration max, Supplier<String> what) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      T value = check.call();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + max.toSeconds() + " s: " + what.get());
      }
      Thread.sleep(20);
    }
  }
}
