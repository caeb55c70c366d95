package dev.shadowparity.ledger;

import dev.shadowparity.engine.Comparison;
import java.util.Locale;

/**
 * How one exchange ended: every exchange, live or replayed, ends in exactly one outcome, recorded once.
 *
 * @param endpoint   the templated endpoint
 * @param kind       what happened
 * @param comparison the comparison as counted (differences at noise fields and accepted ones left out), for MATCH, NOISE,
 *                   ACCEPTED and MISMATCH
 * @param reason     for ERROR the failure ({@code new:timeout}), for SKIPPED and NOT_COMPARABLE the reason's wire
 *                   name; else null
 */
public record Outcome(String endpoint, Kind kind, Comparison comparison, String reason) {

  /** What happened to one exchange. */
  public enum Kind {
    /** Compared and equal after normalization. */
    MATCH,
    /** Compared and different only at fields that are noise for the endpoint: counted apart, not a failure. */
    NOISE,
    /** Compared and different only at differences a baseline accepted as intended (and at noise): not a failure. */
    ACCEPTED,
    /** Compared and different. */
    MISMATCH,
    /** OLD or NEW failed to answer. */
    ERROR,
    /** Both answered, but they could not be judged (see {@link NotComparableReason}): counts against PROVEN. */
    NOT_COMPARABLE,
    /** Not compared, by a {@link SkipReason}. */
    SKIPPED;

    /** The metric label and report name: {@code match}, {@code not-comparable}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
