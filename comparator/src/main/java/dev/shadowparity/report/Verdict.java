package dev.shadowparity.report;

/** Whether an endpoint's parity is proven, disproven, or not yet known. */
public enum Verdict {
  /** Enough exchanges, and the upper confidence bound of the mismatch rate is below the allowed rate. */
  PROVEN,
  /** The lower confidence bound of the mismatch rate is above the allowed rate. */
  FAILING,
  /** Neither: too few exchanges, or a rate too close to the allowed one. */
  UNPROVEN;

  /**
   * The verdict of an endpoint: FAILING when the lower bound of its failure rate is over the allowed rate; PROVEN
   * when it has at least {@code minTrials} trials and the upper bound is under it; otherwise UNPROVEN.
   *
   * @param bounds the lower and upper Wilson bounds of the failure rate
   */
  public static Verdict of(long trials, double[] bounds, double maxRate, long minTrials) {
    if (trials > 0 && bounds[0] > maxRate) {
      return FAILING;
    }
    if (trials > 0 && trials >= minTrials && bounds[1] < maxRate) {
      return PROVEN;
    }
    return UNPROVEN;
  }
}
