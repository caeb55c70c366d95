package dev.shadowparity.tap.impl;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client requests the proxy refused at its edge ({@link ClientRequestHead}), by reason: never forwarded, so never an
 * exchange, and counted here instead (the metric {@code parity_refused_requests_total}). Shared by every event loop.
 */
public final class RefusedRequests {

  /** Every reason, as the metric's {@code reason} tag names it. */
  public static final List<String> REASONS =
      Arrays.stream(ClientRequestHead.Refusal.values()).map(ClientRequestHead.Refusal::wireName).toList();

  private final LongAdder[] counts = new LongAdder[REASONS.size()];

  public RefusedRequests() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  void add(ClientRequestHead.Refusal r) {
    counts[r.ordinal()].increment();
  }

  /** Requests refused for a reason of {@link #REASONS}. */
  public long count(String reason) {
    int i = REASONS.indexOf(reason);
    if (i < 0) {
      throw new IllegalArgumentException("no such reason: " + reason);
    }
    return counts[i].sum();
  }
}
