package dev.shadowparity.config;

/** A config value that parsed but is not acceptable; {@link #key()} is relative to the enclosing block. */
public final class InvalidValueException extends IllegalArgumentException {

  private final String key;

  public InvalidValueException(String key, String problem) {
    super(problem);
    this.key = key;
  }

  public InvalidValueException(String key, String problem, Throwable cause) {
    super(problem, cause);
    this.key = key;
  }

  /** The key within its block, e.g. {@code confidence} or {@code ignore[2]}. */
  public String key() {
    return key;
  }
}
