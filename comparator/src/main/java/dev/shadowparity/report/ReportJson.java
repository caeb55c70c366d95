package dev.shadowparity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/** Writes the report document as JSON (see {@code docs/report-format.md}). */
public final class ReportJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule("parity-report").addSerializer(Instant.class, ToStringSerializer.instance))
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private ReportJson() {}

  public static String write(Report report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the report model always serializes", e);
    }
  }

  /** The mapper used for the report, for callers that write parts of it (e.g. samples). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
