package dev.shadowparity.ledger;

/**
 * The Wilson score interval of a binomial proportion: a confidence interval for the true mismatch rate
 * given {@code failures} out of {@code trials}, well behaved at rates near 0 and with few trials.
 */
public final class Wilson {

  private Wilson() {}

  /** Lower and upper bound at a two-sided confidence level (0.95 for 95%). */
  public static double[] interval(long failures, long trials, double confidence) {
    return intervalForZ(failures, trials, z(confidence));
  }

  /** Lower and upper bound for a given normal quantile {@code z} (see {@link #z(double)}). */
  public static double[] intervalForZ(long failures, long trials, double z) {
    if (trials < 0 || failures < 0 || failures > trials) {
      throw new IllegalArgumentException("need 0 <= failures <= trials, got " + failures + " of " + trials);
    }
    if (trials == 0) {
      return new double[] {0.0, 1.0};
    }
    double n = trials;
    double p = failures / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
    double lower = failures == 0 ? 0.0 : Math.max(0.0, center - half);
    double upper = failures == trials ? 1.0 : Math.min(1.0, center + half);
    return new double[] {lower, upper};
  }

  /** The standard normal quantile for a two-sided confidence level: 1.959964 for 0.95. */
  public static double z(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be above 0 and below 1, got " + confidence);
    }
    // Find z with P(0 < Z < z) = confidence / 2 by bisection; the area is monotone in z.
    double target = confidence / 2;
    double lo = 0;
    double hi = 10;
    for (int i = 0; i < 50; i++) {
      double mid = (lo + hi) / 2;
      if (areaFromZero(mid) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** Area under the standard normal density from 0 to x (x >= 0), by composite Simpson's rule. */
  static double areaFromZero(double x) {
    int steps = 2000;
    double h = x / steps;
    double sum = density(0) + density(x);
    for (int i = 1; i < steps; i++) {
      sum += density(i * h) * (i % 2 == 1 ? 4 : 2);
    }
    return sum * h / 3;
  }

  private static double density(double t) {
    return Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
  }
}
