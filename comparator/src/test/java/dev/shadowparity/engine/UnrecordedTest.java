package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.ledger.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parts of OLD's answer a capture did not record are not compared, and are counted as such, on every path. */
class UnrecordedTest {

  private static final RecordedRequest GET = RecordedRequest.get("/api/missing");

  private static RecordedResponse recorded(int status) {
    return new RecordedResponse(status, Headers.of("Content-Type", "application/json"), new byte[0], 0);
  }

  @Test
  void aBodyNotRecorded_isNotCompared_evenWhenNewsIsOverTheCopyCap() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    OversizedResponse big = new OversizedResponse(404, Headers.of("Content-Type", "application/json"), 50_000_000, "d1", 0);
    Outcome o = engine.process(new Exchange(GET, recorded(404), big, null, Exchange.NOW, Set.of(Unrecorded.BODY)));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MATCH);
    Outcome status = engine.process(new Exchange(GET, recorded(200), big, null, Exchange.NOW, Set.of(Unrecorded.BODY)));
    assertThat(status.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(status.comparison().fields()).containsExactly("status");
    assertThat(engine.report().endpoint("GET /api/missing").partsNotCompared()).containsEntry("body: not recorded", 2L);
  }

  @Test
  void aBodyNotRecorded_isNotCompared_andTheSampleSaysSo() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedResponse neu = new RecordedResponse(500, Headers.of("Content-Type", "application/json"),
        "{\"error\":\"boom\"}".getBytes(StandardCharsets.UTF_8), 0);
    Outcome o = engine.process(new Exchange(GET, recorded(404), neu, null, Exchange.NOW, Set.of(Unrecorded.BODY)));
    assertThat(o.comparison().fields()).containsExactly("status");
    var sample = engine.report().endpoint("GET /api/missing").samples().get(0);
    assertThat(sample.old().body()).isNull();
    assertThat(sample.old().problem()).startsWith("body: not recorded");
  }

  @Test
  void headersNotAllRecorded_countOnlyWhatOldsRecordHas() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    RecordedResponse old = new RecordedResponse(200, Headers.of("ETag", "\"v1\"", "Content-Type", "text/css"),
        "a{}".getBytes(StandardCharsets.UTF_8), 0);
    RecordedResponse neu = new RecordedResponse(200, Headers.of("ETag", "\"v2\"", "Content-Type", "text/css",
        "X-Frame-Options", "DENY"), "a{}".getBytes(StandardCharsets.UTF_8), 0);
    assertThat(engine.process(new Exchange(GET, old, neu, null, Exchange.NOW, Set.of(Unrecorded.HEADERS))).kind())
        .isEqualTo(Outcome.Kind.MATCH);
    RecordedResponse lost = new RecordedResponse(200, Headers.of("Content-Type", "text/css"), "a{}".getBytes(StandardCharsets.UTF_8), 0);
    Outcome o = engine.process(new Exchange(GET, old, lost, null, Exchange.NOW, Set.of(Unrecorded.HEADERS)));
    assertThat(o.comparison().fields()).as("what OLD's record has still counts").containsExactly("header:etag");
  }
}
