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

  /** Command-line flags or query parameters over this rule: set what was given, then {@link Overrides#apply()}. */
  public Overrides override() {
    return new Overrides(this);
  }

  /**
   * Values that win over the rule's, by name; one left unset (or null) keeps the rule's. {@link #apply()} checks
   * them as the file's are checked, naming the flag ({@code --max-mismatch-rate: ...}).
   */
  public static final class Overrides {
    private final VerdictConfig base;
    private Double maxMismatchRate;
    private Double confidence;
    private Long minCompared;

    private Overrides(VerdictConfig base) {
      this.base = base;
    }

    public Overrides maxMismatchRate(Double rate) {
      this.maxMismatchRate = rate;
      return this;
    }

    public Overrides confidence(Double confidence) {
      this.confidence = confidence;
      return this;
    }

    public Overrides minCompared(Long minCompared) {
      this.minCompared = minCompared;
      return this;
    }

    /**
     * The rule with these values.
     *
     * @throws IllegalArgumentException {@code --key: problem} for a bad value
     */
    public VerdictConfig apply() {
      try {
        return new VerdictConfig(maxMismatchRate != null ? maxMismatchRate : base.maxMismatchRate,
            confidence != null ? confidence : base.confidence, minCompared != null ? minCompared : base.minCompared);
      } catch (InvalidValueException e) {
        throw new IllegalArgumentException("--" + e.key() + ": " + e.getMessage(), e);
      }
    }
  }

}
