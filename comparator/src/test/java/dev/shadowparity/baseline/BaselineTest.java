package dev.shadowparity.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.report.BaselineUse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {

  @TempDir
  Path dir;

  private static RecordedResponse answer(String cors, String body) {
    Headers h = cors == null ? Headers.of("Content-Type", "application/json")
        : Headers.of("Content-Type", "application/json", "Access-Control-Allow-Origin", cors);
    return new RecordedResponse(200, h, body.getBytes(StandardCharsets.UTF_8), 1_000_000);
  }

  private static Exchange exchange(String path, RecordedResponse old, RecordedResponse neu) {
    return new Exchange(RecordedRequest.get(path), old, neu);
  }

  private static BaselineEntry cors(List<String> endpoints, String neu) {
    return new BaselineEntry("header:access-control-allow-origin", "value", endpoints, null, neu,
        "NEW's blanket CORS policy, reviewed in SEC-112", "alice", "2026-12-06T04:10:00Z");
  }

  @Test
  void anEntryAcceptsThatDifference_andOnlyThatOne() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    engine.baseline(Baseline.NONE.with(cors(null, "*")));
    // the accepted difference alone: accepted, not a mismatch
    Outcome o = engine.process(exchange("/posts/1", answer("https://a.example", "{\"id\":1}"), answer("*", "{\"id\":1}")));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.ACCEPTED);
    // with another difference: a mismatch at that one only
    o = engine.process(exchange("/posts/2", answer("https://a.example", "{\"id\":2}"), answer("*", "{\"id\":\"2\"}")));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(o.comparison().fields()).containsExactly("/id");
    // the same field with another NEW value than the entry names: not accepted
    o = engine.process(exchange("/posts/3", answer("https://a.example", "{\"id\":3}"), answer("https://b.example", "{\"id\":3}")));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    // missing rather than a value: another kind, not accepted
    o = engine.process(exchange("/posts/4", answer("https://a.example", "{\"id\":4}"), answer(null, "{\"id\":4}")));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);

    Report r = engine.report();
    EndpointReport e = r.endpoint("GET /posts/{id}");
    String id = cors(null, "*").id();
    assertThat(e.accepted()).isEqualTo(1);
    assertThat(e.acceptedBy()).containsEntry(id, 2L);
    assertThat(e.mismatched()).isEqualTo(3);
    assertThat(e.compared()).isEqualTo(e.matched() + e.noiseOnly() + e.accepted() + e.mismatched());
    assertThat(r.totals().accepted()).isEqualTo(1);
    assertThat(r.baseline()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo(id);
      assertThat(u.accepted()).isEqualTo(2);
      assertThat(u.state()).isEqualTo(BaselineUse.IN_USE);
      assertThat(u.reason()).contains("SEC-112");
    });
  }

  @Test
  void anEntryWhoseDifferenceNoLongerOccurs_isStale_oneWithoutEvidenceSaysSo() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    BaselineEntry gone = cors(List.of("GET /posts/{id}"), null);
    BaselineEntry elsewhere = new BaselineEntry("/id", "type", List.of("GET /users/{id}"), null, null, "ids became strings",
        "bob", null);
    engine.baseline(Baseline.NONE.with(gone).with(elsewhere));
    for (int i = 0; i < 5; i++) {
      assertThat(engine.process(exchange("/posts/" + i, answer("*", "{}"), answer("*", "{}"))).kind())
          .isEqualTo(Outcome.Kind.MATCH);
    }
    List<BaselineUse> uses = engine.report().baseline();
    assertThat(uses).extracting(BaselineUse::state).containsExactly(BaselineUse.STALE, BaselineUse.NO_EVIDENCE);
  }

  @Test
  void aReportOverEvidenceRecordedWithoutTheBaseline_saysTheEntryMatchesRecordedMismatches() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    engine.process(exchange("/posts/1", answer("https://a.example", "{}"), answer("*", "{}")));
    Report r = engine.report();
    assertThat(Baseline.NONE.with(cors(null, null)).uses(r)).extracting(BaselineUse::state).containsExactly(BaselineUse.RECORDED);
  }

  @Test
  void valuesAreExactOrWholeRegex() {
    Baseline b = Baseline.NONE.with(new BaselineEntry("/version", "value", null, "/1\\.\\d+/", "2.0", "major bump", null, null));
    assertThat(b.accept("GET /v", new Difference("/version", "/version", DiffKind.VALUE, "1.7", "2.0"))).isNotNull();
    assertThat(b.accept("GET /v", new Difference("/version", "/version", DiffKind.VALUE, "1.7.1", "2.0"))).isNull();
    assertThat(b.accept("GET /v", new Difference("/version", "/version", DiffKind.VALUE, "v1.7", "2.0"))).isNull();
    assertThat(b.accept("GET /v", new Difference("/version", "/version", DiffKind.VALUE, "1.7", "2.0.1"))).isNull();
  }

  @Test
  void theFileRoundTrips_withItsHeader_andRefusesTheSameAcceptanceTwice() throws Exception {
    Path file = dir.resolve("parity-baseline.yaml");
    Baseline b = Baseline.load(file);
    assertThat(b.entries()).isEmpty();
    b = b.with(cors(List.of("GET /posts/{id}", "GET /posts"), "*"));
    b.write();
    String text = Files.readString(file);
    assertThat(text).startsWith("# Shadow Parity baseline").contains("accepted:").contains("NEW's blanket CORS policy");
    Baseline again = Baseline.load(file);
    assertThat(again.entries()).containsExactlyElementsOf(b.entries());
    assertThat(again.entries().get(0).id()).isEqualTo(b.entries().get(0).id());
    Baseline same = again;
    assertThatThrownBy(() -> same.with(new BaselineEntry("header:access-control-allow-origin", "value",
        List.of("GET /posts", "GET /posts/{id}"), null, "*", "again, by someone else", "carol", null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already accepted");
  }

  @Test
  void aBadFile_namesFileLineAndKey() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "accepted:\n  - field: /id\n    kind: value\n    reason: ok\n  - field: /name\n    kind: sideways\n"
        + "    reason: nope\n");
    assertThatThrownBy(() -> Baseline.load(file)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml:6").hasMessageContaining("kind").hasMessageContaining("sideways");
    Files.writeString(file, "accepted:\n  - field: /id\n");
    assertThatThrownBy(() -> Baseline.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("reason");
    Files.writeString(file, "accepted:\n  - field: /id\n    reason: r\n    new: /[/\n");
    assertThatThrownBy(() -> Baseline.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("regular expression");
    Files.writeString(file, "acepted: []\n");
    assertThatThrownBy(() -> Baseline.load(file)).isInstanceOf(ConfigException.class).hasMessageContaining("acepted");
  }

  @Test
  void aComparisonCutAtItsCap_isNeverAccepted_onTheDifferencesItExamined() {
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    engine.baseline(Baseline.NONE.with(new BaselineEntry("/data/*/id", "type", null, null, null, "ids became strings",
        null, null)));
    StringBuilder old = new StringBuilder("{\"data\":[");
    StringBuilder neu = new StringBuilder("{\"data\":[");
    for (int i = 0; i < 300; i++) {
      old.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
      neu.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\"}");
    }
    // past the cap of differences, a real one the comparison never reached
    old.append("],\"total\":300}");
    neu.append("],\"total\":299}");
    Outcome o = engine.process(exchange("/things/1", answer(null, old.toString()), answer(null, neu.toString())));
    assertThat(o.comparison().truncated()).isTrue();
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    assertThat(o.comparison().fields()).contains("body");
  }
}
