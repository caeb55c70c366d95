package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Checked access to the fields of a record read as a JSON tree. */
final class Json {

  /**
   * Jackson's default cap on one string (20 M characters) would stop a HAR at a body of about 15 MB in
   * base64; records are capped at 64 MiB elsewhere, so strings may be as long.
   */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(128 * 1024 * 1024).build()).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  static JsonFactory factory() {
    return FACTORY;
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }

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
