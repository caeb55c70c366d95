package dev.shadowparity.store;

/** The store file cannot be opened, read or written; the message names the file and the problem. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
