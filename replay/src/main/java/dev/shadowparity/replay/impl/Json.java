package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.databind.JsonNode;

/** Checked access to the fields of a record read as a JSON tree. */
final class Json {

  private Json() {}

  static JsonNode object(JsonNode parent, String name) throws BadRecord {
    JsonNode n = parent.get(name);
    if (n == null || !n.isObject()) {
      throw new BadRecord(n == null ? "no '" + name + "' object" : "'" + name + "' must be an object");
    }
    return n;
  }

  static String text(JsonNode parent, String name, String where) throws BadRecord {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new BadRecord(where + "." + name + (n == null ? " is missing" : " must be a non-empty string"));
    }
    return n.asText();
  }
}
