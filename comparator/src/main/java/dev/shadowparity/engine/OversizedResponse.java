package dev.shadowparity.engine;

/**
 * A response whose body was larger than the copy cap: its status and headers are kept, its body is not. While
 * the body streamed past, its length was counted and, when it was read to its end, a 64-bit digest of its bytes
 * (as sent, under its {@code Content-Encoding}; {@code http.BodyDigest}) was taken, so that two large answers can
 * still be judged without holding either.
 *
 * @param status       HTTP status code
 * @param headers      response headers
 * @param bodyBytes    body bytes seen; a lower bound when {@code digest} is null (reading stopped early)
 * @param digest       hex digest of the whole body, or null when it was not read to its end
 * @param latencyNanos time to the last byte read
 */
public record OversizedResponse(int status, Headers headers, long bodyBytes, String digest, long latencyNanos)
    implements BackendResult {

  public OversizedResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be a 3-digit HTTP status, got " + status);
    }
    headers = headers == null ? Headers.empty() : headers;
  }

  /** The same answer with the latency measured by the caller. */
  public OversizedResponse withLatency(long nanos) {
    return new OversizedResponse(status, headers, bodyBytes, digest, nanos);
  }
}
