package dev.shadowparity.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a response body holds, from its Content-Type or, failing that, from its bytes. */
public enum BodyKind {
  EMPTY, JSON, HTML, TEXT, FORM, BINARY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Kinds compared line by line as text. */
  public boolean isText() {
    return this == HTML || this == TEXT;
  }
}
