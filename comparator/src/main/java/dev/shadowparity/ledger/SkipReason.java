package dev.shadowparity.ledger;

import java.util.Locale;

/** Why an exchange was not compared. */
public enum SkipReason {
  /** The method is not mirrored (only GET, HEAD and OPTIONS by default). */
  UNSAFE_METHOD,
  /** Not picked by sampling. */
  SAMPLED_OUT,
  /** A body over the configured cap. */
  BODY_TOO_LARGE,
  /** The comparison pool was full; the exchange was dropped rather than queued. */
  OVERLOAD,
  /** Left out by an include/exclude filter. */
  FILTERED,
  /** The client went away before OLD's response was complete. */
  CLIENT_ABORTED,
  /** Replay against NEW only, from a file that holds no OLD response for this request. */
  NO_RECORDED_RESPONSE,
  /**
   * A gRPC call whose request holds more than one message (client or bidirectional streaming): passed through to both
   * backends, never compared (an answer to a stream depends on how its messages interleave).
   */
  GRPC_CLIENT_STREAM;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
