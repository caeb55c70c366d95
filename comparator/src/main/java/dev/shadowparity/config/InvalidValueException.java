package dev.shadowparity.config;

/** A config value that parsed but is not acceptable; {@link #key()} is relative to the enclosing block. */
final class InvalidValueException extends IllegalArgumentException {

  private final String key;

  InvalidValueException(String key, String problem) {
    super(problem);
    this.key = key;
  }

  InvalidValueException(String key, String problem, Throwable cause) {
    super(problem, cause);
    this.key = key;
  }

  /** The key within its block, e.g. {@code confidence} or {@code ignore[2]}. */
  String key() {
    return key;
  }
}
