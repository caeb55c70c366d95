package dev.shadowparity.engine;

/**
 * A part of OLD's answer that a capture did not record, so that it is not compared (and is counted as such, never
 * taken for an empty part). Browsers' HARs leave out bodies of redirects, cached and some error answers, and for a
 * revalidation record the 304's headers with the cached 200's body.
 */
public enum Unrecorded {
  // also the parts of an answer a comparison left out: reported the same way, per endpoint, in partsNotCompared
  /** No body was kept: status and headers are compared. */
  BODY("body: not recorded"),
  /**
   * Only some headers were kept (a revalidation's 304 headers on the cached 200): the headers OLD's record has are
   * compared, headers only NEW has are not counted.
   */
  HEADERS("headers: not all recorded"),
  /**
   * A gRPC stream longer than {@code grpc.max-messages} on either side: the messages past the cap were not compared
   * (the stream's status and trailers were).
   */
  STREAM_TAIL("grpc: messages past max-messages");

  private final String reason;

  Unrecorded(String reason) {
    this.reason = reason;
  }

  /** How the report names it ({@code body: not recorded}). */
  public String reason() {
    return reason;
  }
}
