package dev.shadowparity.prometheus;

/** Prometheus could not be asked, or its answer cannot be used; the message says which, for people. */
public final class PrometheusException extends Exception {

  private static final long serialVersionUID = 1L;

  public PrometheusException(String message) {
    super(message);
  }

  public PrometheusException(String message, Throwable cause) {
    super(message, cause);
  }
}
