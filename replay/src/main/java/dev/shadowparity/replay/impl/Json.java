package dev.shadowparity.replay.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Checked access to the fields of a record read as a JSON tree. */
final class Json {

  /** {@code limits.max-record-bytes} when the caller names none. */
  static final int DEFAULT_MAX_RECORD = (int) dev.shadowparity.config.LimitsConfig.DEFAULT_MAX_RECORD_BYTES;

  /**
   * Jackson's default cap on one string (20 M characters) would stop a HAR at a body of about 15 MB in base64.
   * Records are capped in bytes before Jackson sees them ({@code limits.max-record-bytes}, at most 1 GiB), and no
   * string is longer than its record, so strings may be as long as the largest cap.
   */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength((int) dev.shadowparity.config.LimitsConfig.MAX_MAX_RECORD_BYTES).build()).build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  static JsonFactory factory() {
    return FACTORY;
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A value of the input quoted in a problem, cut to 60 characters with controls shown as {@code ?}: problems are
   * printed, logged and kept in the report, and must not carry a record's worth of input (up to the record cap).
   */
  static String quoted(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** The problem of a record over the cap, read past without being kept. */
  static String overCap(long size, long cap) {
    return size + " bytes, over limits.max-record-bytes (" + cap + "); skipped";
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
