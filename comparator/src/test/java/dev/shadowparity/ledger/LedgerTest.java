package dev.shadowparity.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.report.Sample;
import dev.shadowparity.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static RecordedResponse json(String body, long latencyMs) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json", "Set-Cookie", "sid=secret123; Path=/; HttpOnly"),
        body.getBytes(StandardCharsets.UTF_8), latencyMs * 1_000_000);
  }

  private static Exchange exchange(String uri, String oldBody, String newBody) {
    RecordedRequest req = new RecordedRequest("GET", uri, Headers.of("Authorization", "Bearer topsecret", "Cookie", "sid=abc; theme=dark"), null);
    return new Exchange(req, json(oldBody, 5), json(newBody, 7));
  }

  private static ParityEngine engine(String yaml) {
    return new ParityEngine(ConfigLoader.parse(yaml, "test.yaml"));
  }

  @Test
  void countsPerEndpoint_templatedIds() {
    ParityEngine engine = engine("");
    for (int i = 0; i < 40; i++) {
      engine.process(exchange("/api/users/" + i + "?x=1", "{\"a\":1}", "{\"a\":1}"));
    }
    engine.process(exchange("/api/users/99", "{\"a\":1}", "{\"a\":2}"));
    EndpointReport r = engine.ledger().report().endpoint("GET /api/users/{id}");
    assertThat(r.compared()).isEqualTo(41);
    assertThat(r.matched()).isEqualTo(40);
    assertThat(r.mismatched()).isEqualTo(1);
    assertThat(r.fields()).containsExactly(new EndpointReport.FieldCount("/a", "value", 1));
    assertThat(r.latency().old().count()).isEqualTo(41);
    assertThat(r.latency().old().p50Ms()).isBetween(5.0, 5.5);
    assertThat(r.latency().neu().p99Ms()).isBetween(7.0, 7.7);
  }

  @Test
  void oneBugInAListCountsOnceAsOneField() {
    ParityEngine engine = engine("");
    StringBuilder a = new StringBuilder("{\"items\":[");
    StringBuilder b = new StringBuilder("{\"items\":[");
    for (int i = 0; i < 500; i++) {
      a.append(i == 0 ? "" : ",").append("{\"price\":").append(i).append('}');
      b.append(i == 0 ? "" : ",").append("{\"price\":").append(i).append(".5}");
    }
    engine.process(exchange("/api/products", a + "]}", b + "]}"));
    // i vs i.5 everywhere: one field, one exchange, one cause
    EndpointReport r = engine.ledger().report().endpoint("GET /api/products");
    assertThat(r.fields()).containsExactly(new EndpointReport.FieldCount("/items/*/price", "value", 1, Cause.INTEGER_DIVISION));
    assertThat(r.causes()).containsExactly(Map.entry("integer-division", 1L));
  }

  @Test
  void causes_countedOncePerExchangePerCause_mostFrequentFirst() {
    ParityEngine engine = engine("");
    for (int i = 0; i < 3; i++) {
      // two integer divisions and an html escape in one exchange: each cause once
      engine.process(exchange("/api/stats", "{\"a\":937,\"b\":41,\"h\":\"Baker's\"}",
          "{\"a\":937.5,\"b\":41.2,\"h\":\"Baker&#x27;s\"}"));
    }
    engine.process(exchange("/api/stats", "{\"a\":1,\"b\":41,\"h\":\"x\"}", "{\"a\":1,\"b\":41,\"h\":\"b'x'\"}"));
    engine.process(exchange("/api/stats", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}")); // unclassified
    EndpointReport r = engine.ledger().report().endpoint("GET /api/stats");
    assertThat(r.mismatched()).isEqualTo(5);
    assertThat(new ArrayList<>(r.causes().entrySet())).containsExactly(Map.entry("html-escaping", 3L),
        Map.entry("integer-division", 3L), Map.entry("bytes-repr", 1L));
    assertThat(r.fields()).containsExactlyInAnyOrder(
        new EndpointReport.FieldCount("/a", "value", 3, Cause.INTEGER_DIVISION),
        new EndpointReport.FieldCount("/b", "value", 4, Cause.INTEGER_DIVISION), // 3 of 4
        new EndpointReport.FieldCount("/h", "value", 4, Cause.HTML_ESCAPING)); // 3 html, 1 bytes
  }

  @Test
  void fieldCause_isAbsentWhenUnclassifiedExchangesAreAsMany_orTheCausesMixWithinOne() {
    ParityEngine engine = engine("");
    engine.process(exchange("/api/p", "{\"p\":937}", "{\"p\":937.5}"));
    engine.process(exchange("/api/p", "{\"p\":937}", "{\"p\":938}"));
    // a list whose items have a cause and no cause: the exchange counts as unclassified for the field
    engine.process(exchange("/api/q", "{\"items\":[{\"v\":3.0},{\"v\":7}]}", "{\"items\":[{\"v\":2},{\"v\":8}]}"));
    Report report = engine.ledger().report();
    assertThat(report.endpoint("GET /api/p").fields()).containsExactly(new EndpointReport.FieldCount("/p", "value", 2));
    assertThat(report.endpoint("GET /api/p").causes()).containsExactly(Map.entry("integer-division", 1L));
    assertThat(report.endpoint("GET /api/q").fields()).containsExactly(new EndpointReport.FieldCount("/items/*/v", "value", 1));
    assertThat(report.endpoint("GET /api/q").causes()).containsExactly(Map.entry("round-half-even", 1L));
  }

  @Test
  void fieldCause_rule() {
    java.util.Map<Cause, java.util.concurrent.atomic.LongAdder> causes = new java.util.EnumMap<>(Cause.class);
    assertThat(ReportBuilder.fieldCause(5, causes)).isNull();
    add(causes, Cause.ARRAY_ORDER, 3);
    assertThat(ReportBuilder.fieldCause(5, causes)).isEqualTo(Cause.ARRAY_ORDER); // 3 > 2 unclassified
    assertThat(ReportBuilder.fieldCause(6, causes)).isNull(); // 3 = 3 unclassified
    add(causes, Cause.BYTES_REPR, 3);
    assertThat(ReportBuilder.fieldCause(6, causes)).isEqualTo(Cause.ARRAY_ORDER); // a tie between causes: first by name
    assertThat(ReportBuilder.fieldCause(9, causes)).isNull(); // 3 each, and 3 unclassified: not more than those
  }

  private static void add(java.util.Map<Cause, java.util.concurrent.atomic.LongAdder> causes, Cause c, long n) {
    causes.computeIfAbsent(c, k -> new java.util.concurrent.atomic.LongAdder()).add(n);
  }

  @Test
  void verdicts_provenFailingUnproven() {
    ParityEngine engine = engine("verdict: {max-mismatch-rate: 0.05, confidence: 0.95, min-compared: 30}");
    for (int i = 0; i < 200; i++) {
      engine.process(exchange("/clean", "{\"a\":1}", "{\"a\":1}"));
      engine.process(exchange("/broken", "{\"a\":1}", i % 2 == 0 ? "{\"a\":2}" : "{\"a\":1}"));
    }
    for (int i = 0; i < 10; i++) {
      engine.process(exchange("/few", "{\"a\":1}", "{\"a\":1}"));
    }
    Report report = engine.ledger().report();
    assertThat(report.endpoint("GET /clean").verdict()).isEqualTo(Verdict.PROVEN);
    assertThat(report.endpoint("GET /clean").upperBound()).isLessThan(0.05);
    assertThat(report.endpoint("GET /broken").verdict()).isEqualTo(Verdict.FAILING);
    assertThat(report.endpoint("GET /broken").mismatchRate()).isEqualTo(0.5);
    assertThat(report.endpoint("GET /few").verdict()).isEqualTo(Verdict.UNPROVEN);
    assertThat(report.endpoints()).extracting(EndpointReport::endpoint)
        .containsExactly("GET /broken", "GET /few", "GET /clean");
    assertThat(report.totals().compared()).isEqualTo(410);
    assertThat(report.totals().mismatched()).isEqualTo(100);
  }

  @Test
  void newFailuresCountAgainstTheVerdict_oldFailuresDoNot() {
    ParityEngine engine = engine("verdict: {max-mismatch-rate: 0.01}");
    RecordedRequest req = RecordedRequest.get("/api/x");
    for (int i = 0; i < 1000; i++) {
      engine.process(new Exchange(req, json("{}", 1), json("{}", 1)));
    }
    for (int i = 0; i < 100; i++) {
      engine.process(new Exchange(req, json("{}", 1), new BackendFailure(BackendFailure.Kind.TIMEOUT, "10 s", 10_000_000_000L)));
      engine.process(new Exchange(req, new BackendFailure(BackendFailure.Kind.CONNECT, "refused", 1), json("{}", 1)));
    }
    EndpointReport r = engine.ledger().report().endpoint("GET /api/x");
    assertThat(r.errors()).isEqualTo(200);
    assertThat(r.errorKinds()).containsEntry("new:timeout", 100L).containsEntry("old:connect", 100L);
    assertThat(r.trials()).isEqualTo(1100);
    assertThat(r.failures()).isEqualTo(100);
    assertThat(r.verdict()).isEqualTo(Verdict.FAILING);
  }

  @Test
  void skippedByReason() {
    ParityEngine engine = engine("");
    engine.skip(new RecordedRequest("POST", "/api/orders", null, null), SkipReason.UNSAFE_METHOD);
    engine.skip(new RecordedRequest("POST", "/api/orders", null, null), SkipReason.UNSAFE_METHOD);
    engine.skip(RecordedRequest.get("/api/orders"), SkipReason.OVERLOAD);
    Report report = engine.ledger().report();
    assertThat(report.endpoint("POST /api/orders").skipped()).containsEntry("unsafe-method", 2L);
    assertThat(report.endpoint("GET /api/orders").skipped()).containsEntry("overload", 1L);
    assertThat(report.totals().skipped()).isEqualTo(3);
  }

  @Test
  void samplesBoundedPerFieldAndPerEndpoint_secretsRedacted() {
    ParityConfig config = ConfigLoader.parse("limits: {samples-per-field: 2, samples-per-endpoint: 5}", "test.yaml");
    Ledger ledger = new Ledger(VerdictConfig.DEFAULTS, config.limits());
    ParityEngine engine = new ParityEngine(config, ledger);
    for (int i = 0; i < 50; i++) {
      engine.process(exchange("/api/a", "{\"x\":1,\"y\":1,\"z" + (i % 10) + "\":1}", "{\"x\":2,\"y\":1}"));
    }
    List<Sample> samples = ledger.samples("GET /api/a");
    assertThat(samples).hasSizeLessThanOrEqualTo(5).hasSizeGreaterThanOrEqualTo(2);
    String json = ReportJson.write(ledger.report());
    assertThat(json).doesNotContain("topsecret").doesNotContain("secret123").doesNotContain("sid=abc")
        .contains("\"Authorization\", \"[redacted]\"").contains("sid=[redacted]; Path=/; HttpOnly")
        .contains("sid=[redacted]; theme=[redacted]");
    Sample s = samples.get(0);
    assertThat(s.request().uri()).isEqualTo("/api/a");
    assertThat(s.old().body()).contains("\"x\":1");
    assertThat(s.differences()).isNotEmpty();
  }

  @Test
  void fieldCardinalityCapped() {
    ParityEngine engine = engine("limits: {max-fields-per-endpoint: 3}");
    for (int i = 0; i < 10; i++) {
      engine.process(exchange("/api/a", "{\"k" + i + "\":1}", "{\"k" + i + "\":2}"));
    }
    List<EndpointReport.FieldCount> fields = engine.ledger().report().endpoint("GET /api/a").fields();
    assertThat(fields).hasSize(4);
    assertThat(fields.get(0)).isEqualTo(new EndpointReport.FieldCount(Ledger.OTHER_FIELDS, "value", 7));
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    ParityEngine engine = engine("");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 2000; i++) {
          engine.process(exchange("/api/items/" + (i % 50), "{\"a\":1}", (i + thread) % 4 == 0 ? "{\"a\":2}" : "{\"a\":1}"));
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    EndpointReport r = engine.ledger().report().endpoint("GET /api/items/{id}");
    assertThat(r.compared()).isEqualTo(16000);
    assertThat(r.mismatched()).isEqualTo(4000);
    assertThat(r.matched()).isEqualTo(12000);
    assertThat(r.fields()).containsExactly(new EndpointReport.FieldCount("/a", "value", 4000));
    assertThat(engine.ledger().samples("GET /api/items/{id}")).hasSizeLessThanOrEqualTo(LimitsConfig.DEFAULT_SAMPLES_PER_FIELD);
  }

  @Test
  void resetStartsAfresh() {
    ParityEngine engine = engine("");
    engine.process(exchange("/a", "{}", "{}"));
    engine.ledger().reset();
    assertThat(engine.ledger().report().endpoints()).isEmpty();
  }

  /** A store written by the development build that kept reclassified as its own count still opens. */
  @Test
  void aLegacyReclassifiedCount_isReadAndIgnored() {
    Ledger ledger = new Ledger(dev.shadowparity.config.VerdictConfig.DEFAULTS, dev.shadowparity.config.LimitsConfig.DEFAULTS);
    ledger.loadCount("GET /a", "mismatched", java.util.List.of(), 3);
    ledger.loadCount("GET /a", "compared", java.util.List.of(), 3);
    ledger.loadCount("GET /a", "reclassified", java.util.List.of(), 2);
    assertThat(ledger.report().endpoint("GET /a").reclassified()).as("derived from the signatures, which hold none").isZero();
    assertThat(ledger.report().endpoint("GET /a").mismatched()).isEqualTo(3);
  }

  /** The report names the not-mirrored skip reason without depending on the ledger's enum: the two must agree. */
  @Test
  void theReportsNameOfTheUnsafeMethodSkip_isTheSkipReasonsWireName() {
    assertThat(dev.shadowparity.report.EndpointReport.UNSAFE_METHOD).isEqualTo(SkipReason.UNSAFE_METHOD.wireName());
  }

  /**
   * Every snapshot the store takes is of a moment when no recording was half done: a field is never counted without
   * its mismatch, however the recordings and the snapshots interleave (a kill -9 right after a flush keeps it).
   */
  @Test
  void everyExportedSnapshot_countsEachMismatchWithItsField() throws Exception {
    ParityEngine engine = new ParityEngine(dev.shadowparity.config.ConfigLoader.parse("noise: {learn: false}\n", "t"));
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread recorder = new Thread(() -> {
      for (int i = 0; i < 20_000; i++) {
        engine.process(exchange("/api/x/" + i, "{\"a\":1}", i % 2 == 0 ? "{\"a\":2}" : "{\"a\":1}"));
      }
      done.set(true);
    });
    recorder.start();
    int snapshots = 0;
    do {
      Map<String, Long> counts = new java.util.HashMap<>();
      engine.ledger().exportCounts((endpoint, family, key, value) -> counts.put(family + key, value));
      long mismatched = counts.getOrDefault("mismatched[]", 0L);
      assertThat(counts.getOrDefault("field[/a, value]", 0L)).as("snapshot %d", snapshots).isEqualTo(mismatched);
      assertThat(counts.getOrDefault("compared[]", 0L))
          .isEqualTo(counts.getOrDefault("matched[]", 0L) + counts.getOrDefault("noise-only[]", 0L) + mismatched);
      snapshots++;
    } while (!done.get());
    recorder.join(60_000);
    assertThat(snapshots).isPositive();
  }
}
