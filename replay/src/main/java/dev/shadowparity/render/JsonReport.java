package dev.shadowparity.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.report.ReportJson;
import java.io.UncheckedIOException;

/** The engine's report document ({@code docs/report-format.md}) with what replay read under {@code input}. */
public final class JsonReport {

  private JsonReport() {}

  public static String write(ReplayResult result) {
    ObjectMapper mapper = ReportJson.mapper();
    ObjectNode doc = mapper.valueToTree(result.report());
    if (result.input() != null) {
      doc.set("input", mapper.valueToTree(result.input()));
    }
    if (result.notJudged() != null) {
      doc.put("notJudged", result.notJudged());
    }
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
