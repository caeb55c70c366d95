package dev.shadowparity.config;

/**
 * The {@code verdict:} block: when an endpoint counts as proven.
 *
 * @param maxMismatchRate the mismatch rate that is still acceptable (0.01 = 1%)
 * @param confidence      confidence level of the Wilson score interval (two-sided)
 * @param minCompared     fewer trials than this is never PROVEN, whatever the bound says
 */
public record VerdictConfig(Double maxMismatchRate, Double confidence, Long minCompared) {

  public static final double DEFAULT_MAX_MISMATCH_RATE = 0.01;
  public static final double DEFAULT_CONFIDENCE = 0.95;
  public static final long DEFAULT_MIN_COMPARED = 30;
  public static final VerdictConfig DEFAULTS = new VerdictConfig(null, null, null);

  public VerdictConfig {
    if (maxMismatchRate == null) {
      maxMismatchRate = DEFAULT_MAX_MISMATCH_RATE;
    } else if (!(maxMismatchRate >= 0 && maxMismatchRate < 1)) {
      throw new InvalidValueException("max-mismatch-rate", "must be at least 0 and below 1 (e.g. 0.01 for 1%), got " + maxMismatchRate);
    }
    if (confidence == null) {
      confidence = DEFAULT_CONFIDENCE;
    } else if (!(confidence > 0 && confidence < 1)) {
      throw new InvalidValueException("confidence", "must be above 0 and below 1 (e.g. 0.95), got " + confidence);
    }
    if (minCompared == null) {
      minCompared = DEFAULT_MIN_COMPARED;
    } else if (minCompared < 0) {
      throw new InvalidValueException("min-compared", "must not be negative, got " + minCompared);
    }
  }

  /**
   * This rule with the given parts replaced where not null (command-line flags and query parameters win over the
   * file); a bad value fails with {@code --key: problem}.
   */
  public VerdictConfig withOverrides(Double maxMismatchRate, Double confidence, Long minCompared) {
    try {
      return new VerdictConfig(maxMismatchRate != null ? maxMismatchRate : this.maxMismatchRate,
          confidence != null ? confidence : this.confidence, minCompared != null ? minCompared : this.minCompared);
    } catch (InvalidValueException e) {
      throw new IllegalArgumentException("--" + e.key() + ": " + e.getMessage(), e);
    }
  }
}
