package dev.shadowparity.ledger;

import dev.shadowparity.engine.Difference;

/** Which differences a team accepted as known and intended (a baseline): listed as accepted, never counted. */
@FunctionalInterface
public interface Acceptance {

  /** Accepts nothing. */
  Acceptance NONE = (endpoint, d) -> null;

  /** The id of the entry that accepts this difference of this endpoint, or {@code null} when none does. */
  String accept(String endpoint, Difference d);
}
