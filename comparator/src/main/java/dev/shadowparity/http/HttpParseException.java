package dev.shadowparity.http;

/** Bytes that are not a valid HTTP/1.x message; {@link #offset()} is where the problem was found. */
public final class HttpParseException extends Exception {

  private final long offset;

  public HttpParseException(String message, long offset) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}
