package dev.shadowparity.fuzz;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;

/**
 * What every fuzz test checks besides its target's own contract: the bytes one input made the calling thread allocate
 * stay under a budget (a linear cost of the capped sizes, never one that grows with the square of the input or past the
 * caps), and a failure names the input.
 */
final class Bounds {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Largest input any fuzz test looks at (libFuzzer's -max_len in the fuzz profile is the same). */
  static final int MAX_INPUT = 64 * 1024;

  private Bounds() {}

  /** Bytes allocated by this thread so far. */
  static long allocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * Runs {@code target} and fails when it allocated more than {@code budget} bytes on this thread. The first use of a
   * class loads (and, under Jazzer, instruments) it on the thread that uses it, so a run over the budget is measured
   * again before it fails.
   */
  static void checkAllocation(Runnable target, long budget, byte[] input) {
    long used = allocation(target);
    if (used > budget) {
      used = allocation(target);
      if (used > budget) {
        throw new AssertionError("one input allocated " + used + " bytes, over the budget of " + budget + "; input "
            + show(input));
      }
    }
  }

  private static long allocation(Runnable target) {
    long start = allocated();
    target.run();
    return allocated() - start;
  }

  static AssertionError failure(String what, byte[] input, Throwable cause) {
    return new AssertionError(what + "; input " + show(input), cause);
  }

  static void check(boolean condition, String what, byte[] input) {
    if (!condition) {
      throw failure(what, input, null);
    }
  }

  /** The input in hex, cut at 256 bytes. */
  static String show(byte[] input) {
    int n = Math.min(input.length, 256);
    return input.length + " bytes: " + HexFormat.of().formatHex(input, 0, n) + (n < input.length ? "..." : "");
  }
}
