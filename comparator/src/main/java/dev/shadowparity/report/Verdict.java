package dev.shadowparity.report;

/** Whether an endpoint's parity is proven, disproven, not yet known, or not something the tap could see. */
public enum Verdict {
  /** The upper bound of the failure rate (confidence sequence) is below the allowed rate, with enough trials. */
  PROVEN,
  /** The lower bound of the failure rate is above the allowed rate. */
  FAILING,
  /** Neither: too few exchanges, or a rate too close to the allowed one. */
  UNPROVEN,
  /**
   * Every exchange was skipped as an unsafe method (POST, PUT, DELETE...): the tap never sends those to NEW, so
   * there is nothing to judge. Does not block a gate over all endpoints; a gate that names it fails.
   */
  NOT_MIRRORED;

  /** For people: {@code NOT MIRRORED}. */
  public String label() {
    return name().replace('_', ' ');
  }

  /** Worst first: FAILING, UNPROVEN, PROVEN, NOT_MIRRORED. */
  public int rank() {
    return switch (this) {
      case FAILING -> 0;
      case UNPROVEN -> 1;
      case PROVEN -> 2;
      case NOT_MIRRORED -> 3;
    };
  }
}
