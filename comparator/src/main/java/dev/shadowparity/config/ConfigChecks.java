package dev.shadowparity.config;

import dev.shadowparity.engine.PointerPattern;
import java.util.List;

/** Argument checks shared by the config records; messages name the key and the bad value. */
final class ConfigChecks {

  private ConfigChecks() {}

  static List<String> strings(List<String> values, String key) {
    if (values == null) {
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v == null || v.isBlank()) {
        throw new InvalidValueException(key + "[" + i + "]", "must be a non-empty string");
      }
    }
    return List.copyOf(values);
  }

  static List<String> pointers(List<String> values, String key) {
    List<String> checked = strings(values, key);
    for (int i = 0; i < checked.size(); i++) {
      try {
        PointerPattern.parse(checked.get(i));
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException(key + "[" + i + "]", e.getMessage(), e);
      }
    }
    return checked;
  }

  static Integer positive(Integer value, int dflt, String key) {
    if (value == null) {
      return dflt;
    }
    if (value <= 0) {
      throw new InvalidValueException(key, "must be positive, got " + value);
    }
    return value;
  }

  static Long positive(Long value, long dflt, String key) {
    if (value == null) {
      return dflt;
    }
    if (value <= 0) {
      throw new InvalidValueException(key, "must be positive, got " + value);
    }
    return value;
  }

  static Integer nonNegative(Integer value, int dflt, String key) {
    if (value == null) {
      return dflt;
    }
    if (value < 0) {
      throw new InvalidValueException(key, "must not be negative, got " + value);
    }
    return value;
  }
}
