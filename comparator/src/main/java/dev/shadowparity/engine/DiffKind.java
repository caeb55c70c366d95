package dev.shadowparity.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What sort of difference was found. Wire names are lower-case with dashes. */
public enum DiffKind {
  /** Same place, different value (scalar, header value, status, text lines). */
  VALUE("value"),
  /** Different JSON types at the same place (e.g. string vs number), or JSON vs non-JSON body. */
  TYPE("type"),
  /** Present in OLD, absent in NEW. */
  MISSING("missing"),
  /** Absent in OLD, present in NEW. */
  EXTRA("extra"),
  /** Arrays of different lengths. */
  ARRAY_LENGTH("array-length"),
  /** The same array elements in another order. */
  ARRAY_ORDER("array-order"),
  /** A body that could not be decoded (bad compression, bad charset bytes, invalid JSON). */
  UNDECODABLE("undecodable"),
  /** One body is over the copy cap and the other far smaller: they differ in size, their content unread. */
  SIZE("size");

  private final String wireName;

  DiffKind(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static DiffKind fromWireName(String name) {
    for (DiffKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown difference kind '" + name + "'");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
