package dev.shadowparity.cli;

/** Exit codes shared by every command. */
final class ExitCodes {
  /** Equal, proven, or done without findings. */
  static final int OK = 0;
  /** Differences found, or a gate condition that holds. */
  static final int DIFFERENT = 1;
  /** Bad usage or bad input; the message says what and where. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
