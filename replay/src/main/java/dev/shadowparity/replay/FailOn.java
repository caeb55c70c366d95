package dev.shadowparity.replay;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.Verdict;
import java.util.Locale;

/** When a replay (or a report) counts as failed, for the exit code and the JUnit failures. */
public enum FailOn {
  /** Any endpoint with a mismatch or a NEW failure. */
  MISMATCH,
  /** Any endpoint whose verdict is FAILING (the default). */
  FAILING,
  /** Never: the exit code is 0 whatever the findings (input errors still give 2). */
  NEVER;

  public static FailOn fromName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not one of mismatch, failing, never", e);
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this endpoint fails under the condition. */
  public boolean fails(EndpointReport e) {
    return switch (this) {
      case MISMATCH -> e.failures() > 0;
      case FAILING -> e.verdict() == Verdict.FAILING;
      case NEVER -> false;
    };
  }

  /** Whether any endpoint fails under the condition. */
  public boolean holds(Report report) {
    return report.endpoints().stream().anyMatch(this::fails);
  }
}
