package dev.shadowparity.engine.impl;

import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import java.util.ArrayList;
import java.util.List;

/** Collects differences up to a cap, truncating values for display. */
final class DiffSink {

  private final int maxDifferences;
  private final int maxValueLength;
  private final List<Difference> differences = new ArrayList<>(4);
  private boolean truncated;

  DiffSink(int maxDifferences, int maxValueLength) {
    this.maxDifferences = maxDifferences;
    this.maxValueLength = maxValueLength;
  }

  void add(String field, String path, DiffKind kind, String oldValue, String newValue) {
    add(field, path, kind, oldValue, newValue, null);
  }

  void add(String field, String path, DiffKind kind, String oldValue, String newValue, String detail) {
    if (differences.size() >= maxDifferences) {
      truncated = true;
      return;
    }
    differences.add(new Difference(field, path, kind, truncate(oldValue), truncate(newValue), detail));
  }

  List<Difference> differences() {
    return differences;
  }

  boolean truncated() {
    return truncated;
  }

  String truncate(String value) {
    if (value == null || value.length() <= maxValueLength) {
      return value;
    }
    return value.substring(0, maxValueLength) + "… (" + value.length() + " chars)";
  }
}
