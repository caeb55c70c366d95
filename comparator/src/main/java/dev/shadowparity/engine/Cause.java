package dev.shadowparity.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The likely cause of a difference, as found by {@link DifferenceClassifier}. Each is given only when a strict
 * rule fits (the rules are in {@code docs/architecture.md}); a difference no rule fits has no cause. Wire names
 * are lower-case with dashes and stable.
 */
public enum Cause {
  /** Python 2 {@code int / int} floors, Python 3 divides: {@code 937} vs {@code 937.5}. */
  INTEGER_DIVISION("integer-division", "integer division: OLD floored, NEW divided"),
  /** Python 2 rounds halves away from zero, Python 3 to even: {@code round(2.5)} is {@code 3.0} vs {@code 2}. */
  ROUND_HALF_EVEN("round-half-even", "round() of a half: OLD away from zero, NEW to even"),
  /** A Python 3 bytes repr leaked into text: {@code "SKU-1"} vs {@code "b'SKU-1'"}. */
  BYTES_REPR("bytes-repr", "bytes repr b'...' leaked into NEW's text"),
  /** A Python 2 unicode repr prefix: {@code "u'A-1'"} vs {@code "'A-1'"}. */
  UNICODE_REPR_PREFIX("unicode-repr-prefix", "Python 2 unicode repr u'...' in OLD's text"),
  /** A Python 2 long suffix: {@code "0xab54L"} vs {@code "0xab54"}. */
  LONG_SUFFIX("long-suffix", "Python 2 long suffix L in OLD's text"),
  /** Python 2 {@code str(float)} keeps 12 significant digits, repr 17: {@code 0.333333333333} vs {@code 0.3333333333333333}. */
  FLOAT_PRECISION("float-precision", "float formatting: OLD 12 significant digits, NEW full repr"),
  /** The same array elements in another order (dict or set iteration order). */
  ARRAY_ORDER("array-order", "same elements in another order (dict/set iteration order)"),
  /** Equal after decoding backslash escapes or Unicode normalization. */
  UNICODE_ESCAPING("unicode-escaping", "unicode escapes or normalization left over"),
  /** None/null handling: a null member vs no member, or null vs {@code "None"}, {@code ""}. */
  NONE_NULL_HANDLING("none-null-handling", "None/null handling: null vs absent, \"None\" or \"\""),
  /** NEW answered 5xx where OLD answered below 500: NEW crashed. */
  NEW_SERVER_ERROR("new-server-error", "NEW answered 5xx where OLD did not: a crash"),
  /** NEW answered 401/403 to a request with credentials that OLD accepted: a session or token no longer valid. */
  AUTH_REJECTED("auth-rejected", "NEW rejected credentials (401/403) that OLD accepted"),
  /** Equal after HTML-unescaping both: {@code '} vs {@code &#x27;}. */
  HTML_ESCAPING("html-escaping", "HTML escaping differs (' vs &#x27;)"),
  /** Both values are timestamps, UUIDs or long hex ids of the same format: values that change on every call. */
  VOLATILE_VALUE("volatile-value", "timestamp/uuid-shaped values that change per call"),
  /**
   * A read of a resource that a write (PUT, POST, DELETE...) changed on OLD only: the tap does not mirror unsafe
   * methods, so OLD's data moved and NEW's did not. Given by the engine, not by a rule on the values, to differences
   * no rule explains.
   */
  WRITE_NOT_MIRRORED("write-not-mirrored", "a write reached OLD only before this read: the data differ, maybe not the code");

  private final String wireName;
  private final String description;

  Cause(String wireName, String description) {
    this.wireName = wireName;
    this.description = description;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** A few words for people, e.g. in a report's tooltip or legend. */
  public String description() {
    return description;
  }

  @JsonCreator
  public static Cause fromWireName(String name) {
    for (Cause c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown cause '" + name + "'");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
