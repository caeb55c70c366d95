package dev.shadowparity;

import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.Outcome;

/**
 * Told of every outcome once the ledger holds it: the tap's metrics and capture listen. Called on the thread that
 * recorded (a comparison thread, or an event loop for a skip), so an implementation is quick and never blocks. An
 * exception thrown here loses nothing from the ledger; it is counted ({@link ParityEngine#recordingFailures()})
 * and logged once per kind.
 */
public interface EvidenceListener {

  /**
   * One exchange's outcome.
   *
   * @param exchange the exchange, or null for a skip (nothing was asked of NEW)
   */
  void recorded(Outcome outcome, Exchange exchange);

  /** OLD failed on a request that was not mirrored: not evidence of parity, but of OLD's health. */
  default void oldFailed(String endpoint, BackendFailure.Kind kind) {}

  /** A new evidence period began: the ledger is empty again. */
  default void reset() {}
}
