package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stacks that stamp each answer with a fresh uuid and timestamp, behind a tap with noise detection. */
class TapNoiseTest {

  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  /** An order with volatile fields; {@code total} is the real data. */
  private static Handler<HttpServerRequest> orders(boolean buggy) {
    return req -> {
      String id = req.path().substring(req.path().lastIndexOf('/') + 1);
      String total = buggy && id.equals("13") ? "10.5" : "10";
      req.response().putHeader("Content-Type", "application/json").end("{\"id\":" + id + ",\"total\":" + total
          + ",\"request_id\":\"" + UUID.randomUUID() + "\",\"generated_at\":\"" + Instant.now() + "\",\"nonce\":" + System.nanoTime() + "}");
    };
  }

  private static String field(EndpointReport e, String name) {
    return e.noise().stream().filter(n -> n.field().equals(name)).map(NoiseField::noise).findFirst().orElse("absent");
  }

  @Test
  void withASecondaryOld_onlyTheRealDifferenceIsAMismatch() throws Exception {
    h.old(orders(false)).neu(orders(true));
    HttpServer secondary = TapHarness.await(h.vertx.createHttpServer().requestHandler(orders(false)).listen(0, "127.0.0.1"));
    h.tap("old-secondary: http://127.0.0.1:" + secondary.actualPort() + "\nnoise: {learn: false}\n");
    for (int id = 10; id < 30; id++) {
      String body = new String(h.get("/api/orders/" + id).body(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"id\":" + id + ",\"total\":10,");
    }
    EndpointReport e = h.awaitEndpoint("GET /api/orders/{id}", x -> x.compared() == 20);
    assertThat(e.mismatched()).isEqualTo(1);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/total");
    assertThat(field(e, "/request_id")).isEqualTo("secondary");
    assertThat(field(e, "/nonce")).isEqualTo("secondary");
  }

  @Test
  void withoutASecondary_learnedFromRepeatedRequests() throws Exception {
    h.old(orders(false)).neu(orders(true)).tap("");
    for (int round = 0; round < 6; round++) {
      for (int id = 12; id <= 14; id++) {
        h.get("/api/orders/" + id);
      }
    }
    EndpointReport e = h.awaitEndpoint("GET /api/orders/{id}", x -> x.compared() == 18);
    assertThat(e.mismatched() - e.reclassified()).as("order 13, every round").isEqualTo(6);
    assertThat(e.failures()).isEqualTo(6);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/total");
    assertThat(field(e, "/generated_at")).isEqualTo("learned");
  }

  /** {@code parity_exchanges_total{endpoint="...", outcome="..."} 12.0} lines of one endpoint, by outcome. */
  private static java.util.Map<String, Double> scraped(String metrics, String name, String endpoint, String label) {
    java.util.Map<String, Double> byLabel = new java.util.HashMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "\\{(.*)\\} (\\S+)$").matcher(metrics);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("endpoint=\"" + endpoint + "\"")) {
        java.util.regex.Matcher l = java.util.regex.Pattern.compile(label + "=\"([^\"]*)\"").matcher(labels);
        byLabel.put(l.find() ? l.group(1) : "", Double.parseDouble(m.group(2)));
      }
    }
    return byLabel;
  }

  /**
   * Once noise is learned, the report counts the first mismatches (recorded before OLD had repeated itself) as
   * reclassified; Prometheus, whose counters never go down, has the same counts: one book.
   */
  @Test
  void afterNoiseIsLearned_metricsAndReportAgree_perEndpoint() throws Exception {
    h.old(orders(false)).neu(orders(true)).tap("");
    for (int round = 0; round < 6; round++) {
      for (int id = 12; id <= 14; id++) {
        h.get("/api/orders/" + id);
      }
    }
    String endpoint = "GET /api/orders/{id}";
    EndpointReport before = h.awaitEndpoint(endpoint, x -> x.compared() == 18);
    assertThat(before.reclassified()).as("mismatches recorded before the noise was known").isPositive();

    com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(h.adminGet("/api/report").body());
    com.fasterxml.jackson.databind.JsonNode e = null;
    for (com.fasterxml.jackson.databind.JsonNode x : report.get("endpoints")) {
      if (x.get("endpoint").asText().equals(endpoint)) {
        e = x;
      }
    }
    assertThat(e).isNotNull();
    String metrics = h.adminGet("/metrics").body();
    java.util.Map<String, Double> outcomes = scraped(metrics, "parity_exchanges_total", endpoint, "outcome");
    assertThat(outcomes.get("match")).isEqualTo(e.get("matched").asDouble());
    assertThat(outcomes.get("noise")).isEqualTo(e.get("noiseOnly").asDouble()).isPositive();
    assertThat(outcomes.get("mismatch")).isEqualTo(e.get("mismatched").asDouble());
    assertThat(outcomes.get("error")).isEqualTo(e.get("errors").asDouble());
    assertThat(outcomes.get("not-comparable")).isZero();
    assertThat(outcomes.get("match") + outcomes.get("noise") + outcomes.get("mismatch")).isEqualTo(e.get("compared").asDouble());
    assertThat(scraped(metrics, "parity_reclassified_total", endpoint, "none").values())
        .containsExactly(e.get("reclassified").asDouble());
    assertThat(outcomes.get("mismatch") - e.get("reclassified").asDouble()).as("the verdict's failures")
        .isEqualTo(e.get("failures").asDouble());
  }
}
