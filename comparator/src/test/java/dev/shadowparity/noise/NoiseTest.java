package dev.shadowparity.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Noise that is learned, not configured: fresh uuids and timestamps must not count, real differences must. */
class NoiseTest {

  private static long clock = 1_763_726_400_000L;

  /** What a stack answers for an order: a fresh request id and timestamp on every call. */
  private static RecordedResponse order(int id, String total) {
    clock += 1234;
    String body = "{\"id\":" + id + ",\"total\":" + total + ",\"request_id\":\"" + UUID.randomUUID() + "\",\"generated_at\":\""
        + Instant.ofEpochMilli(clock) + "\",\"items\":[{\"sku\":\"A\",\"trace\":\"" + UUID.randomUUID() + "\"}]}";
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json", "X-Request-Id", UUID.randomUUID().toString()),
        body.getBytes(StandardCharsets.UTF_8), 1_000_000);
  }

  private static RecordedRequest get(int id) {
    return new RecordedRequest("GET", "/api/orders/" + id, Headers.of("Accept", "application/json"), null);
  }

  private static Map<String, NoiseField> noise(EndpointReport e) {
    return e.noise().stream().collect(Collectors.toMap(NoiseField::field, Function.identity()));
  }

  @Test
  void learnedFromRepeatedRequests_noMismatchesLeft_realDifferenceStillCounted() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("", "t"));
    for (int round = 0; round < 10; round++) {
      for (int id = 1; id <= 5; id++) {
        engine.process(new Exchange(get(id), order(id, "10"), order(id, id == 3 && round >= 5 ? "10.5" : "10")));
      }
    }
    EndpointReport e = engine.ledger().report().endpoint("GET /api/orders/{id}");
    // the first answers (before OLD had repeated itself) counted as mismatches when recorded; they stay counted as
    // recorded (the metrics cannot take them back) and are reclassified once, visibly: they are not failures
    assertThat(e.compared()).isEqualTo(50);
    assertThat(e.reclassified()).isPositive();
    assertThat(e.mismatched() - e.reclassified()).as("only order 3 in rounds 5-9: total 10 vs 10.5").isEqualTo(5);
    assertThat(e.failures()).isEqualTo(5);
    assertThat(e.matched() + e.noiseOnly() + e.mismatched()).isEqualTo(50);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/total");
    assertThat(e.samples()).allSatisfy(s -> assertThat(s.fields()).containsExactly("/total"));
    Map<String, NoiseField> noise = noise(e);
    assertThat(noise.keySet()).containsExactlyInAnyOrder("/request_id", "/generated_at", "/items/*/trace");
    assertThat(noise.get("/request_id").noise()).isEqualTo("learned");
    assertThat(noise.get("/request_id").oldDifferences()).isEqualTo(45); // 5 requests, 9 repeats each
    assertThat(noise.get("/request_id").oldComparisons()).isEqualTo(45);
    // hidden when recorded, or taken out afterwards (the mismatches recorded before OLD had repeated itself): all 50,
    // each shown as what it is
    assertThat(noise.get("/request_id").discounted()).isPositive();
    assertThat(noise.get("/request_id").reclassified()).isPositive();
    assertThat(noise.get("/request_id").discounted() + noise.get("/request_id").reclassified()).isEqualTo(50);
  }

  @Test
  void withASecondaryOld_noiseIsKnownFromTheFirstExchange() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("noise: {learn: false}\n", "t"));
    for (int i = 0; i < 20; i++) {
      int id = 100 + i; // all different requests: nothing to learn from repeats
      engine.process(new Exchange(get(id), order(id, "10"), order(id, i == 7 ? "11" : "10"), order(id, "10")));
    }
    EndpointReport e = engine.ledger().report().endpoint("GET /api/orders/{id}");
    assertThat(e.compared()).isEqualTo(20);
    assertThat(e.mismatched()).isEqualTo(1);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/total");
    Map<String, NoiseField> noise = noise(e);
    assertThat(noise.get("/request_id").noise()).isEqualTo("secondary");
    assertThat(noise.get("/request_id").secondaryOld()).isEqualTo(20);
    assertThat(noise.get("/request_id").secondaryTrials()).isEqualTo(20);
    assertThat(noise).doesNotContainKey("/total");
  }

  @Test
  void aSecondaryThatAgreesWithOld_keepsNewsDifferencesReal() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("noise: {learn: false}\n", "t"));
    for (int i = 0; i < 20; i++) {
      RecordedResponse old = order(1, "10");
      // the secondary is OLD's own answer: no evidence of noise at all, so NEW's fresh ids count
      engine.process(new Exchange(get(1), old, order(1, "10"), old));
    }
    EndpointReport e = engine.ledger().report().endpoint("GET /api/orders/{id}");
    assertThat(e.mismatched()).isEqualTo(20);
    assertThat(e.noise()).isEmpty();
  }

  @Test
  void dataThatChangesOnceInAWhile_isNotLearnedAsNoise() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("", "t"));
    String stock = "{\"id\":1,\"stock\":%d}";
    for (int i = 0; i < 40; i++) {
      int level = i < 30 ? 5 : 4; // the stock changed once, OLD repeats it from then on
      RecordedResponse old = json(String.format(stock, i % 10 == 9 ? level + 1 : level));
      engine.process(new Exchange(get(1), old, json(String.format(stock, 7))));
    }
    EndpointReport e = engine.ledger().report().endpoint("GET /api/orders/{id}");
    assertThat(noise(e).get("/stock").noise()).as("differed in %s of %s repeats", noise(e).get("/stock").oldDifferences(),
        noise(e).get("/stock").oldComparisons()).isNull();
    assertThat(e.mismatched()).isEqualTo(40);
  }

  @Test
  void pinnedInConfig_alwaysAndNever() {
    ParityEngine engine = new ParityEngine(ConfigLoader.parse("noise:\n  always: [/total]\n  never: [/request_id]\n", "t"));
    for (int round = 0; round < 6; round++) {
      engine.process(new Exchange(get(1), order(1, "10"), order(1, "99")));
    }
    EndpointReport e = engine.ledger().report().endpoint("GET /api/orders/{id}");
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/request_id");
    assertThat(e.mismatched()).isEqualTo(6);
    assertThat(noise(e).get("/total").noise()).isEqualTo("pinned");
    assertThat(noise(e).get("/request_id").noise()).isNull();
    assertThat(noise(e).get("/request_id").oldDifferences()).isEqualTo(5);
    assertThat(noise(e).get("/generated_at").noise()).isEqualTo("learned");
  }

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), 0);
  }
}
