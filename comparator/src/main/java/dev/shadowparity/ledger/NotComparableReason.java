package dev.shadowparity.ledger;

import java.util.Locale;

/**
 * Why two answers could not be judged. Such an exchange counts as a failure in the verdict: what cannot be judged
 * is never taken for parity.
 */
public enum NotComparableReason {
  /**
   * Both bodies were over the copy cap and their digests differ (or one could not be taken), with nothing else
   * different: the bytes differ, but whether they mean the same (JSON key order, gzip settings) is unknown.
   */
  OVER_CAP,
  /** Decoding, diffing, classifying or recording the exchange failed; the failure is logged once per endpoint and kind. */
  INTERNAL_ERROR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The reason of a wire name. */
  public static NotComparableReason fromWireName(String wire) {
    for (NotComparableReason r : values()) {
      if (r.wireName().equals(wire)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown not-comparable reason '" + wire + "'");
  }
}
