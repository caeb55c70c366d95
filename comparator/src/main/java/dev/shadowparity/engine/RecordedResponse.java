package dev.shadowparity.engine;

/**
 * One HTTP response as received from a backend, body still encoded as it came over the wire.
 *
 * @param status       HTTP status code
 * @param headers      response headers
 * @param body         body bytes (possibly gzip etc.), empty when there is none; never modified
 * @param latencyNanos time to the last byte, 0 when unknown (e.g. from a file)
 * @param trailers     trailers sent after the body (HTTP/2, chunked HTTP/1.1; gRPC's {@code grpc-status}), empty when none
 */
public record RecordedResponse(int status, Headers headers, byte[] body, long latencyNanos, Headers trailers) implements BackendResult {

  private static final byte[] NO_BODY = new byte[0];

  public RecordedResponse {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status must be a 3-digit HTTP status, got " + status);
    }
    headers = headers == null ? Headers.empty() : headers;
    body = body == null ? NO_BODY : body;
    trailers = trailers == null ? Headers.empty() : trailers;
  }

  public RecordedResponse(int status, Headers headers, byte[] body, long latencyNanos) {
    this(status, headers, body, latencyNanos, Headers.empty());
  }

  public RecordedResponse(int status, Headers headers, byte[] body) {
    this(status, headers, body, 0L);
  }

  @Override
  public String toString() {
    return "RecordedResponse[" + status + ", " + headers.size() + " headers, " + body.length + " bytes]";
  }
}
