package dev.shadowparity.prometheus;

/**
 * What one counter series counted inside a window, exactly, from its raw samples: the sum of its rises, where a drop
 * means the counter started again from 0 (a restarted tap, a new evidence period), as Prometheus' own
 * {@code increase()} reads a reset, but without its extrapolation to the window's edges. The counts are the
 * samples' own, so the result is a whole number of exchanges.
 *
 * <p>The base is the last sample at or before the window's start; a series with no sample there (it began inside
 * the window: a tap started, or an endpoint first seen) counts from 0, since the tap's counters start at 0 with the
 * process and appear at 0 or at their first count. What happened after a series' last sample (after the last scrape
 * of a tap that stopped, or since the last scrape of a running one) is not seen.
 */
public final class CounterIncrease {

  private CounterIncrease() {}

  /**
   * @param times   sample times in milliseconds, ascending
   * @param values  the counter's values at those times
   * @param count   how many samples of the arrays to use
   * @param startMs the window's start: samples at or before it are the base, later ones are inside
   */
  public static long of(long[] times, long[] values, int count, long startMs) {
    long previous = 0;
    long increase = 0;
    for (int i = 0; i < count; i++) {
      long v = values[i];
      if (times[i] > startMs) {
        increase += v >= previous ? v - previous : v;
      }
      previous = v;
    }
    return increase;
  }
}
