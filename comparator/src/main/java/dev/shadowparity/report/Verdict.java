package dev.shadowparity.report;

/** Whether an endpoint's parity is proven, disproven, or not yet known. */
public enum Verdict {
  /** Enough exchanges, and the upper confidence bound of the mismatch rate is below the allowed rate. */
  PROVEN,
  /** The lower confidence bound of the mismatch rate is above the allowed rate. */
  FAILING,
  /** Neither: too few exchanges, or a rate too close to the allowed one. */
  UNPROVEN
}
