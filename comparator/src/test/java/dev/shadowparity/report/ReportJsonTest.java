package dev.shadowparity.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.SkipReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report JSON has exactly the shape documented in docs/report-format.md. */
class ReportJsonTest {

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), 3_000_000);
  }

  private static List<String> names(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void documentedShape() throws Exception {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedRequest req = new RecordedRequest("GET", "/api/products/17?lang=fr", Headers.of("Accept", "application/json"), null);
    engine.process(new Exchange(req, json("{\"price\":1250,\"name\":\"caf\\u00e9\"}"), json("{\"name\":\"café\",\"price\":1250.0}")));
    engine.process(new Exchange(req, json("{\"price\":937}"), json("{\"price\":937.5}")));
    engine.process(new Exchange(req, json("{}"), new BackendFailure(BackendFailure.Kind.RESET, "connection reset", 1_000_000)));
    engine.skip(new RecordedRequest("POST", "/api/products", null, null), SkipReason.UNSAFE_METHOD);

    JsonNode doc = new ObjectMapper().readTree(ReportJson.write(engine.ledger().report()));
    assertThat(names(doc)).containsExactly("generatedAt", "verdictRule", "totals", "groups", "endpoints");
    assertThat(doc.get("generatedAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    assertThat(names(doc.get("verdictRule"))).containsExactly("maxMismatchRate", "confidence", "minCompared");
    assertThat(names(doc.get("totals"))).containsExactly("compared", "matched", "noiseOnly", "accepted", "mismatched",
        "reclassified", "errors", "notComparable", "skipped");
    assertThat(doc.at("/totals/compared").asLong()).isEqualTo(2);
    assertThat(doc.at("/totals/skipped").asLong()).isEqualTo(1);

    JsonNode e = doc.get("endpoints").get(0);
    assertThat(e.get("endpoint").asText()).isEqualTo("GET /api/products/{id}");
    assertThat(names(e)).containsExactly("endpoint", "compared", "matched", "noiseOnly", "accepted", "acceptedBy",
        "mismatched", "reclassified", "errors", "errorKinds", "notComparable", "skipped", "trials", "failures", "mismatchRate",
        "lowerBound", "upperBound", "verdict", "partsNotCompared", "fields", "causes", "noise", "repeatsAfterWrites", "queryShapes",
        "latency",
        "samples");
    assertThat(e.get("errorKinds").get("new:reset").asLong()).isEqualTo(1);
    assertThat(e.at("/queryShapes/0/shape").asText()).isEqualTo("?lang");
    assertThat(e.at("/queryShapes/0/compared").asLong()).isEqualTo(2);
    assertThat(e.at("/queryShapes/0/mismatched").asLong()).isEqualTo(1);
    assertThat(doc.at("/groups/0/field").asText()).isEqualTo("/price");
    assertThat(doc.at("/groups/0/endpoints/0").asText()).isEqualTo("GET /api/products/{id}");
    assertThat(e.get("trials").asLong()).isEqualTo(3);
    assertThat(e.get("failures").asLong()).isEqualTo(2);
    assertThat(e.get("verdict").asText()).isEqualTo("FAILING");
    assertThat(e.at("/fields/0/field").asText()).isEqualTo("/price");
    assertThat(e.at("/fields/0/kind").asText()).isEqualTo("value");
    assertThat(e.at("/fields/0/count").asLong()).isEqualTo(1);
    assertThat(names(e.at("/fields/0"))).containsExactly("field", "kind", "count", "cause");
    assertThat(e.at("/fields/0/cause").asText()).isEqualTo("integer-division");
    assertThat(names(e.get("causes"))).containsExactly("integer-division");
    assertThat(e.at("/causes/integer-division").asLong()).isEqualTo(1);
    assertThat(names(e.at("/latency/old"))).containsExactly("count", "p50Ms", "p99Ms", "maxMs");
    assertThat(e.at("/latency/new/count").asLong()).isEqualTo(3);

    JsonNode sample = e.get("samples").get(0);
    assertThat(names(sample)).containsExactly("at", "fields", "request", "old", "new", "differences");
    assertThat(sample.at("/request/headers/0/0").asText()).isEqualTo("Accept");
    assertThat(sample.at("/request/uri").asText()).isEqualTo("/api/products/17?lang=fr");
    assertThat(sample.at("/old/bodyKind").asText()).isEqualTo("json");
    assertThat(sample.at("/differences/0/old").asText()).isEqualTo("937");
    assertThat(sample.at("/differences/0/new").asText()).isEqualTo("937.5");
    assertThat(names(sample.at("/differences/0"))).containsExactly("field", "path", "kind", "old", "new", "cause");
    assertThat(sample.at("/differences/0/cause").asText()).isEqualTo("integer-division");
    JsonNode errorSample = e.get("samples").get(1);
    assertThat(errorSample.get("error").asText()).isEqualTo("new:reset: connection reset");
    assertThat(errorSample.at("/new/problem").asText()).isEqualTo("reset: connection reset");

    JsonNode post = doc.get("endpoints").get(1);
    assertThat(post.get("endpoint").asText()).isEqualTo("POST /api/products");
    assertThat(post.get("skipped").get("unsafe-method").asLong()).isEqualTo(1);
    assertThat(post.get("verdict").asText()).as("only writes, never sent to NEW").isEqualTo("NOT_MIRRORED");
    assertThat(post.has("cleanNeeded")).isFalse();
    assertThat(post.get("causes").isObject()).as("always present, empty without mismatches").isTrue();
    assertThat(post.get("causes").size()).isZero();
  }

  @Test
  void unclassifiedField_hasNoCauseKey() throws Exception {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedRequest req = RecordedRequest.get("/api/flags");
    engine.process(new Exchange(req, json("{\"on\":false}"), json("{\"on\":true}")));
    JsonNode e = new ObjectMapper().readTree(ReportJson.write(engine.ledger().report())).get("endpoints").get(0);
    assertThat(names(e.at("/fields/0"))).containsExactly("field", "kind", "count");
    assertThat(names(e.at("/samples/0/differences/0"))).containsExactly("field", "path", "kind", "old", "new");
  }
}
