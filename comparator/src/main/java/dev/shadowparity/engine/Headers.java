package dev.shadowparity.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable HTTP header list: multi-valued, order preserving, names looked up case-insensitively.
 * The original spelling of each name is kept for display and for forwarding.
 */
public final class Headers {

  private static final Headers EMPTY = new Headers(List.of());

  private final List<Map.Entry<String, String>> entries;
  /**
   * Each entry's name in lower case, made at the first lookup (on the thread that compares, not on the
   * event loop that recorded the headers): a lookup is then an exact comparison, not a case-blind one.
   * Volatile, so that a thread that sees the array sees its elements.
   */
  private volatile String[] lowerNames;

  private Headers(List<Map.Entry<String, String>> entries) {
    this.entries = entries;
  }

  private String[] lowerNames() {
    String[] names = lowerNames;
    if (names == null) {
      names = new String[entries.size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = entries.get(i).getKey().toLowerCase(Locale.ROOT);
      }
      lowerNames = names; // a race makes the same array twice, which is harmless
    }
    return names;
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("Content-Type", "text/plain", "X-A", "1")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs, got " + namesAndValues.length + " strings");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first value of the header, or {@code null} when absent. */
  public String get(String name) {
    String lower = name.toLowerCase(Locale.ROOT); // the same string when it is already (the usual case)
    String[] lowerNames = lowerNames();
    for (int i = 0; i < lowerNames.length; i++) {
      if (lowerNames[i].equals(lower)) {
        return entries.get(i).getValue();
      }
    }
    return null;
  }

  /** Every value of the header in order; empty when absent. */
  public List<String> getAll(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String[] lowerNames = lowerNames();
    List<String> values = null;
    for (int i = 0; i < lowerNames.length; i++) {
      if (lowerNames[i].equals(lower)) {
        if (values == null) {
          values = new ArrayList<>(2);
        }
        values.add(entries.get(i).getValue());
      }
    }
    return values == null ? List.of() : Collections.unmodifiableList(values);
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /** The name of entry {@code i} (as in {@link #entries()}) in lower case. */
  public String lowerCaseName(int i) {
    return lowerNames()[i];
  }

  /** All name/value pairs in their original order and spelling. */
  public List<Map.Entry<String, String>> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A builder seeded with these headers, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.entries.addAll(entries);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers h && entries.equals(h.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Collects headers; not thread-safe. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> entries = new ArrayList<>();

    private Builder() {}

    public Builder add(String name, String value) {
      Objects.requireNonNull(name, "header name");
      Objects.requireNonNull(value, "header value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name must not be empty");
      }
      entries.add(Map.entry(name, value));
      return this;
    }

    /** Removes every value of the header, whatever the case of its name. */
    public Builder remove(String name) {
      entries.removeIf(e -> e.getKey().equalsIgnoreCase(name));
      return this;
    }

    /** Replaces every value of the header with one value. */
    public Builder set(String name, String value) {
      remove(name);
      return add(name, value);
    }

    public Headers build() {
      return entries.isEmpty() ? EMPTY : new Headers(List.copyOf(entries));
    }
  }
}
