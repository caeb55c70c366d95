package dev.shadowparity.config;

/** A configuration that cannot be used; the message names the file, position, key and problem. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
