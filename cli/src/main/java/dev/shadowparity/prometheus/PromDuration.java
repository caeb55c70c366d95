package dev.shadowparity.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written as Prometheus writes one ({@code 1h}, {@code 90s}, {@code 1h30m}, {@code 2d}, {@code 500ms}):
 * units {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m}, {@code s}, {@code ms}, each at most once and
 * from the largest down, as in PromQL.
 */
public final class PromDuration {

  private static final Pattern FORM = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
  /** Longer than any window anyone keeps raw samples for (and far from overflowing a millisecond count). */
  private static final long MAX_MILLIS = 10L * 365 * 86_400_000;

  private PromDuration() {}

  /**
   * Parses a duration above 0.
   *
   * @param option the option it was given to, for the message
   * @throws IllegalArgumentException saying what is wrong and what is expected
   */
  public static Duration parse(String text, String option) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || text.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(option + ": not a duration: '" + text + "' (Prometheus' form, e.g. 30m, 1h, "
          + "1h30m, 2d)");
    }
    long millis = 0;
    for (int i = 0; i < UNIT_MILLIS.length; i++) {
      String n = m.group(i + 1);
      if (n != null) {
        if (n.length() > 12) {
          throw new IllegalArgumentException(option + ": " + text + " is too long (at most 10 years)");
        }
        millis += Long.parseLong(n) * UNIT_MILLIS[i];
        if (millis > MAX_MILLIS) {
          throw new IllegalArgumentException(option + ": " + text + " is too long (at most 10 years)");
        }
      }
    }
    if (millis == 0) {
      throw new IllegalArgumentException(option + ": must be longer than 0, got " + text);
    }
    return Duration.ofMillis(millis);
  }

  /** The duration in PromQL, in milliseconds so that nothing is rounded ({@code 3900000ms}). */
  public static String promQl(Duration d) {
    return d.toMillis() + "ms";
  }

  /** The duration for people: {@code 1h}, {@code 1h30m}, {@code 754s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    StringBuilder out = new StringBuilder();
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < UNIT_MILLIS.length && ms > 0; i++) {
      if (i == 0 || i == 1) {
        continue; // days, hours, minutes read better than years and weeks
      }
      long n = ms / UNIT_MILLIS[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        ms -= n * UNIT_MILLIS[i];
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }
}
