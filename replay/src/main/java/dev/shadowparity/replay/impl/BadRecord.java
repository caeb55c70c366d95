package dev.shadowparity.replay.impl;

/** A record that is well-formed as text but not as a captured exchange; its message says what is wrong. */
final class BadRecord extends Exception {
  BadRecord(String message) {
    super(message, null, false, false);
  }
}
