package dev.shadowparity.engine;

import java.util.Locale;
import java.util.Objects;

/**
 * A backend that gave no usable response.
 *
 * @param kind         what went wrong
 * @param message      detail for people, e.g. the exception message
 * @param latencyNanos time until the failure was noticed
 */
public record BackendFailure(Kind kind, String message, long latencyNanos) implements BackendResult {

  public BackendFailure {
    Objects.requireNonNull(kind, "kind");
    message = message == null ? "" : message;
  }

  /** Ways a backend can fail to answer. */
  public enum Kind {
    /** No response within the configured timeout. */
    TIMEOUT,
    /** The connection could not be opened (refused, unreachable, DNS). */
    CONNECT,
    /** The connection was closed or reset before the response was complete. */
    RESET,
    /** Bytes came back that are not a valid HTTP response. */
    PROTOCOL,
    /**
     * The TLS handshake with the backend failed: its certificate expired or is not yet valid, is signed by a CA not
     * trusted, names another host, the protocol versions do not meet, or it refused the tap's client certificate
     * (the message says which, in words: {@code http.TlsFailure}).
     */
    TLS,
    /** Never sent: the exchange had already failed on the other backend. */
    NOT_SENT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
