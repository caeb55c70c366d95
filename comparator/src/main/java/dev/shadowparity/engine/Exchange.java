package dev.shadowparity.engine;

import java.util.Objects;

/**
 * One request and what the OLD and the NEW backend gave for it. Everything after the exchange
 * (comparison, ledger, reports) is shared by the live tap and offline replay.
 *
 * @param request   the request both backends got
 * @param oldResult the OLD (reference) backend's response or failure
 * @param newResult the NEW (candidate) backend's response or failure
 */
public record Exchange(RecordedRequest request, BackendResult oldResult, BackendResult newResult) {
  public Exchange {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(oldResult, "oldResult");
    Objects.requireNonNull(newResult, "newResult");
  }
}
