package dev.shadowparity.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backends that stamp every answer with a fresh uuid and timestamp: noise detection keeps only the real bug. */
class ReplayNoiseTest {

  @TempDir
  Path dir;

  WireMockServer old;
  WireMockServer neu;

  static final String ORDER = "{\"id\": %d, \"total\": %s, \"request_id\": \"{{randomValue type='UUID'}}\", "
      + "\"generated_at\": \"{{now format='yyyy-MM-dd HH:mm:ss.SSS'}}{{randomValue length=6 type='NUMERIC'}}\"}";

  @BeforeEach
  void start() {
    old = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true));
    neu = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true));
    old.start();
    neu.start();
    for (int id = 1; id <= 2; id++) {
      old.stubFor(get(urlEqualTo("/api/orders/" + id)).willReturn(aResponse().withHeader("Content-Type", "application/json")
          .withBody(String.format(ORDER, id, "10"))));
      // the real bug: order 2's total
      neu.stubFor(get(urlEqualTo("/api/orders/" + id)).willReturn(aResponse().withHeader("Content-Type", "application/json")
          .withBody(String.format(ORDER, id, id == 2 ? "10.5" : "10"))));
    }
  }

  @AfterEach
  void stop() {
    old.stop();
    neu.stop();
  }

  private JsonNode replay(String yaml, String... extra) throws Exception {
    Path capture = dir.resolve("capture.ndjson");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      lines.append("{\"request\":{\"method\":\"GET\",\"uri\":\"/api/orders/").append(1 + i % 2).append("\"}}\n");
    }
    Files.writeString(capture, lines);
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, "rules:\n  ignore-headers: [matched-stub-id]\n" + yaml);
    Path json = dir.resolve("report.json");
    List<String> args = new ArrayList<>(List.of("replay", capture.toString(), "--old", "http://127.0.0.1:" + old.port(),
        "--new", "http://127.0.0.1:" + neu.port(), "--config", config.toString(), "--concurrency", "1", "--json",
        json.toString(), "--progress", "none"));
    args.addAll(List.of(extra));
    ReplayCommandTest.Run r = ReplayCommandTest.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DIFFERENT);
    return new ObjectMapper().readTree(json.toFile()).path("endpoints").get(0);
  }

  @Test
  void withASecondaryOld_onlyTheRealDifferenceIsAMismatch() throws Exception {
    JsonNode e = replay("noise: {learn: false}\n", "--noise-probe"); // only the secondary's evidence
    assertThat(ReplayCommandTest.endpoints(new ObjectMapper().createObjectNode().set("endpoints",
        new ObjectMapper().createArrayNode().add(e)))).containsExactly(
        "GET /api/orders/{id}: 12 compared, 6 mismatched, 0 errors, FAILING, /total value 6");
    assertThat(noise(e, "/request_id")).isEqualTo("secondary");
    assertThat(noise(e, "/generated_at")).isEqualTo("secondary");
  }

  @Test
  void withoutASecondary_learnedFromRepeatedRequests() throws Exception {
    JsonNode e = replay("", "--report", dir.resolve("r.html").toString());
    assertThat(Files.readString(dir.resolve("r.html"))).contains("Noise: 2 fields differ between two answers of OLD itself")
        .contains("<td><code>/request_id</code></td><td>learned</td>");
    // mismatches recorded before OLD had repeated itself stay counted as recorded, and are reclassified as noise
    assertThat(e.path("mismatched").asLong() - e.path("reclassified").asLong()).isEqualTo(6);
    assertThat(e.path("failures").asLong()).isEqualTo(6);
    assertThat(e.path("fields")).hasSize(1);
    assertThat(e.at("/fields/0/field").asText()).isEqualTo("/total");
    assertThat(noise(e, "/request_id")).isEqualTo("learned");
    assertThat(e.path("samples")).allSatisfy(s -> assertThat(s.path("request").path("uri").asText()).isEqualTo("/api/orders/2"));
  }

  @Test
  void noiseProbeNeedsOld() throws Exception {
    Files.writeString(dir.resolve("none.yaml"), "");
    ReplayCommandTest.Run r = ReplayCommandTest.run("replay", ShopBackends.HAR.toString(), "--new",
        "http://127.0.0.1:" + neu.port(), "--noise-probe", "--config", dir.resolve("none.yaml").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--noise-probe asks OLD twice, so it needs --old");
  }

  private static String noise(JsonNode endpoint, String field) {
    for (JsonNode n : endpoint.path("noise")) {
      if (n.path("field").asText().equals(field)) {
        return n.path("noise").asText(null);
      }
    }
    return "absent";
  }
}
