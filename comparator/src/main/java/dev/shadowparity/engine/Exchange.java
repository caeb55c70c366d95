package dev.shadowparity.engine;

import java.util.Objects;

/**
 * One request and what the OLD and the NEW backend gave for it. Everything after the exchange
 * (comparison, ledger, reports) is shared by the live tap and offline replay.
 *
 * @param request      the request both backends got
 * @param oldResult    the OLD (reference) backend's response or failure
 * @param newResult    the NEW (candidate) backend's response or failure
 * @param secondaryOld a second answer of the OLD stack to the same request, or {@code null}: what differs
 *                     between the two OLD answers is noise ({@code --old-secondary}, {@code --noise-probe})
 * @param writeSequence how many writes that reached OLD only were known when the request was sent
 *                     ({@code ParityEngine.writeSequence()}), so that a write after it never explains its answer nor
 *                     passes for one before it; {@link #NOW} when unknown (taken when the exchange is judged)
 * @param oldUnrecorded the parts of OLD's answer its capture did not record ({@link Unrecorded}): not compared, and
 *                     counted per endpoint, never taken for empty ones; empty for a live answer
 */
public record Exchange(RecordedRequest request, BackendResult oldResult, BackendResult newResult,
    BackendResult secondaryOld, long writeSequence, java.util.Set<Unrecorded> oldUnrecorded) {

  /** The write sequence is not known: the one when the exchange is judged is taken. */
  public static final long NOW = -1;

  public Exchange {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(oldResult, "oldResult");
    Objects.requireNonNull(newResult, "newResult");
    oldUnrecorded = oldUnrecorded == null || oldUnrecorded.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(oldUnrecorded);
  }

  /** An exchange without a secondary OLD answer. */
  public Exchange(RecordedRequest request, BackendResult oldResult, BackendResult newResult) {
    this(request, oldResult, newResult, null, NOW, java.util.Set.of());
  }

  /** An exchange whose write sequence is taken when it is judged. */
  public Exchange(RecordedRequest request, BackendResult oldResult, BackendResult newResult, BackendResult secondaryOld) {
    this(request, oldResult, newResult, secondaryOld, NOW, java.util.Set.of());
  }

  /** An exchange whose OLD body is known (recorded, or answered live). */
  public Exchange(RecordedRequest request, BackendResult oldResult, BackendResult newResult, BackendResult secondaryOld,
      long writeSequence) {
    this(request, oldResult, newResult, secondaryOld, writeSequence, java.util.Set.of());
  }
}
