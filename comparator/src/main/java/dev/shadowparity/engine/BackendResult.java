package dev.shadowparity.engine;

/** What one backend gave for a request: a response, or a failure to get one. */
public sealed interface BackendResult permits RecordedResponse, OversizedResponse, BackendFailure {

  /** Time from sending the request to the end of the response (or the failure), in nanoseconds. */
  long latencyNanos();
}
