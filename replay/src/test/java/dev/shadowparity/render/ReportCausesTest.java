package dev.shadowparity.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every renderer shows the likely causes the engine found, and nothing where there is none. */
class ReportCausesTest {

  static ReplayResult result;

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void replayed() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedRequest summary = RecordedRequest.get("/api/orders/42/summary");
    for (int i = 0; i < 3; i++) {
      engine.process(new Exchange(summary, json("{\"average\": 937, \"flag\": false}"), json("{\"average\": 937.5, \"flag\": false}")));
    }
    engine.process(new Exchange(summary, json("{\"average\": 937, \"flag\": false}"), json("{\"average\": 937, \"flag\": true}")));
    result = new ReplayResult(engine.ledger().report(), null);
  }

  @Test
  void html_showsCausesInTheFieldsAndDifferencesTables_andPerEndpoint() {
    String page = HtmlReport.write(result, FailOn.FAILING);
    String label = "<span class=\"cause\" title=\"integer division: OLD floored, NEW divided\">integer-division</span>";
    assertThat(page).contains("<th class=\"n\">mismatching exchanges</th><th>likely cause</th>")
        .contains("<tr><td><code>/average</code></td><td>value</td><td class=\"n\">3</td><td>" + label + "</td></tr>")
        .contains("<tr><td><code>/flag</code></td><td>value</td><td class=\"n\">1</td><td></td></tr>")
        .contains("<th>OLD</th><th>NEW</th><th>likely cause</th>")
        .contains("<td class=\"new\"><code>937.5</code></td><td>" + label + "</td></tr>")
        .contains("<td class=\"new\"><code>true</code></td><td></td></tr>")
        .contains("likely causes: " + label + " ×3")
        .contains("<code>/average</code> value ×3 " + label);
  }

  @Test
  void markdown_showsTheCauseOfTopFields() {
    assertThat(MarkdownReport.write(result, FailOn.FAILING)).contains("`/average` value ×3 (integer-division), `/flag` value ×1 |");
  }

  @Test
  void junit_showsTheCauseOfFieldsAndSampleDifferences() {
    assertThat(JunitReport.write(result, FailOn.MISMATCH)).contains("/average (value): 3, likely integer-division")
        .contains("/flag (value): 1\n").contains("/average value: 937 -&gt; 937.5 (likely integer-division)");
  }

  @Test
  void json_carriesCauses() throws Exception {
    JsonNode e = new ObjectMapper().readTree(JsonReport.write(result)).at("/endpoints/0");
    assertThat(e.at("/causes/integer-division").asLong()).isEqualTo(3);
    assertThat(e.at("/causes").size()).isEqualTo(1);
    assertThat(e.at("/fields/0/cause").asText()).isEqualTo("integer-division");
    assertThat(e.at("/fields/1").has("cause")).isFalse();
    assertThat(e.at("/samples/0/differences/0/cause").asText()).isEqualTo("integer-division");
  }
}
