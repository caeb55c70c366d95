package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity gate} and {@code parity report} on a store file with known evidence. */
class StoreCommandsTest {

  static final String PROVEN = "GET /api/users/{id}";
  static final String FAILING = "GET /api/orders/{id}";
  static final String UNPROVEN = "GET /api/health";
  static final String WRITES = "POST /api/users";

  @TempDir
  Path dir;
  Path db;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * 700 clean users (PROVEN under the default 1%: about 580 clean ones are needed), orders mismatching 40 of 100, 10
   * clean health checks (UNPROVEN), 3 POSTs never mirrored (NOT MIRRORED).
   */
  @BeforeEach
  void evidence() {
    db = dir.resolve("parity.db");
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    try (Store store = Store.open(db, engine.ledger(), Duration.ofHours(1))) {
      for (int i = 0; i < 700; i++) {
        engine.process(exchange("/api/users/" + i, "{\"id\":1}", "{\"id\":1}"));
      }
      for (int i = 0; i < 3; i++) {
        engine.skip(WRITES, dev.shadowparity.ledger.SkipReason.UNSAFE_METHOD);
      }
      for (int i = 0; i < 100; i++) {
        engine.process(exchange("/api/orders/" + i, "{\"average\":937}", i < 40 ? "{\"average\":937.5}" : "{\"average\":937}"));
      }
      for (int i = 0; i < 10; i++) {
        engine.process(exchange("/api/health", "{\"ok\":true}", "{\"ok\":true}"));
      }
      assertThat(store.flushNow()).isPositive();
    }
  }

  private static Exchange exchange(String uri, String oldBody, String newBody) {
    return new Exchange(new RecordedRequest("GET", uri, Headers.of(), null), json(oldBody), json(newBody));
  }

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), 1_000_000);
  }

  private CompareCommandTest.Run gate(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "gate";
    all[1] = "--store";
    all[2] = db.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CompareCommandTest.run(all);
  }

  @Test
  void gate_provenEndpoint_exit0_withTheReason() {
    CompareCommandTest.Run r = gate("--endpoint", PROVEN);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(0);
    assertThat(r.out()).contains("Evidence of " + db + ", period 1: since ")
        .contains("Rule: PROVEN when the upper bound of the mismatch rate at 95% confidence (a confidence sequence, valid at "
            + "every look) is under 1.00%, with at least 30 compared.")
        .containsPattern("PROVEN\\s+GET /api/users/\\{id\\}: 0 of 700 exchanges failed \\(0\\.00%\\); the upper bound 0\\.\\d\\d% is under the allowed 1\\.00%")
        .contains("PASSED: every endpoint checked is PROVEN.");
  }

  @Test
  void gate_failingAndUnprovenEndpoints_exit1_sayingWhyForEach() {
    CompareCommandTest.Run r = gate();
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("PROVEN\\s+GET /api/users/\\{id\\}: 0 of 700")
        .containsPattern("FAILING\\s+GET /api/orders/\\{id\\}: 40 of 100 exchanges failed \\(40\\.00%\\); even the lower bound \\d\\d\\.\\d\\d% is over the allowed 1\\.00%")
        .containsPattern("UNPROVEN\\s+GET /api/health: 0 of 10 exchanges failed \\(0\\.00%\\); the upper bound \\d+\\.\\d\\d% is not "
            + "under the allowed 1\\.00% yet; 5\\d\\d more clean exchanges would prove it")
        .contains("NOT MIRRORED POST /api/users: only unsafe methods, which the tap does not send to NEW: nothing to compare")
        .contains("NOT PASSED: 2 of 4 endpoints are not PROVEN.");

    CompareCommandTest.Run unproven = gate("--endpoint", UNPROVEN, "--endpoint", PROVEN);
    assertThat(unproven.exit()).isEqualTo(1);
    assertThat(unproven.out()).contains("NOT PASSED: 1 of 2 endpoints are not PROVEN.");
  }

  @Test
  void gate_ruleFromTheCommandLine_recomputesTheVerdicts() {
    // 10 clean checks prove a loose rule; 700 clean users do not prove a strict one
    assertThat(gate("--endpoint", UNPROVEN, "--min-compared", "10", "--max-mismatch-rate", "0.5").exit()).isEqualTo(0);
    CompareCommandTest.Run strict = gate("--endpoint", PROVEN, "--max-mismatch-rate", "0.001");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(strict.out()).containsPattern("UNPROVEN\\s+GET /api/users/\\{id\\}: 0 of 700 exchanges failed .*is not under the allowed 0\\.10% yet");
    CompareCommandTest.Run confident = gate("--endpoint", PROVEN, "--confidence", "0.999");
    assertThat(confident.exit()).isEqualTo(1);
    assertThat(confident.out()).contains("at 99.9% confidence");
  }

  @Test
  void gate_notMirroredEndpoints_doNotBlockTheDefaultGate_butANamedOneMustBeProven() {
    Path only = dir.resolve("proven.db");
    ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
    try (Store store = Store.open(only, engine.ledger(), Duration.ofHours(1))) {
      for (int i = 0; i < 700; i++) {
        engine.process(exchange("/api/users/" + i, "{\"id\":1}", "{\"id\":1}"));
      }
      engine.skip(WRITES, dev.shadowparity.ledger.SkipReason.UNSAFE_METHOD);
      assertThat(store.flushNow()).isPositive();
    }
    CompareCommandTest.Run all = CompareCommandTest.run("gate", "--store", only.toString());
    assertThat(all.exit()).as(all.out()).isEqualTo(0);
    assertThat(all.out()).contains("NOT MIRRORED POST /api/users")
        .contains("PASSED: every endpoint checked is PROVEN (1 NOT MIRRORED, which do not block).");
    CompareCommandTest.Run named = CompareCommandTest.run("gate", "--store", only.toString(), "--endpoint", WRITES);
    assertThat(named.exit()).isEqualTo(1);
    assertThat(named.out()).contains("(named, so it must be PROVEN)").contains("NOT PASSED: 1 of 1 endpoints are not PROVEN.");
  }

  @Test
  void gate_overReportFiles_sumsTheShardsPerEndpoint_withTheSameRuleAndExitCodes() throws Exception {
    // two shards of 400 clean exchanges each: neither proves the endpoint alone (about 580 are needed), the sum does
    Path[] shards = {dir.resolve("shard-1.json"), dir.resolve("shard-2.json")};
    for (int s = 0; s < shards.length; s++) {
      Path shard = shards[s];
      ParityEngine engine = new ParityEngine(ParityConfig.DEFAULTS);
      for (int i = 0; i <= s; i++) { // the shards differ, as real ones do
        engine.process(exchange("/api/health", "{\"ok\":true}", "{\"ok\":true}"));
      }
      for (int i = 0; i < 400; i++) {
        engine.process(exchange("/api/users/" + i, "{\"id\":1}", "{\"id\":1}"));
      }
      engine.process(exchange("/api/orders/1", "{\"a\":1}", "{\"a\":2}"));
      engine.process(exchange("/api/orders/2", "{\"a\":1}", "{\"a\":2}"));
      Files.writeString(shard, dev.shadowparity.report.ReportJson.write(engine.ledger().report()));
    }
    CompareCommandTest.Run one = CompareCommandTest.run("gate", "--report", shards[0].toString(), "--endpoint", PROVEN);
    assertThat(one.exit()).isEqualTo(1);
    assertThat(one.out()).containsPattern("UNPROVEN\\s+GET /api/users/\\{id\\}: 0 of 400 exchanges failed .*1\\d\\d more clean exchanges would prove it");
    Path out = dir.resolve("gate.json");
    CompareCommandTest.Run both = CompareCommandTest.run("gate", "--report", shards[0].toString(), shards[1].toString(),
        "--endpoint", PROVEN, "--json", out.toString());
    assertThat(both.exit()).as(both.out() + both.err()).isEqualTo(0);
    assertThat(both.out()).contains("Evidence: the sum of 2 report files.").containsPattern("PROVEN\\s+GET /api/users/\\{id\\}: 0 of 800");
    assertThat(json.readTree(out.toFile()).at("/endpoints/0/trials").asLong()).isEqualTo(800);
    CompareCommandTest.Run all = CompareCommandTest.run("gate", "--report", shards[0].toString(), shards[1].toString());
    assertThat(all.exit()).isEqualTo(1);
    assertThat(all.out()).containsPattern("FAILING\\s+GET /api/orders/\\{id\\}: 4 of 4 exchanges failed");

    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"endpoints\": [{\"endpoint\": \"GET /a\", \"compared\": \"many\"}]}");
    CompareCommandTest.Run bad = CompareCommandTest.run("gate", "--report", broken.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("broken.json: endpoint GET /a: \"compared\" is not a count");
    CompareCommandTest.Run notReport = CompareCommandTest.run("gate", "--report", db.toString());
    assertThat(notReport.exit()).isEqualTo(2);
    assertThat(notReport.err()).contains("parity.db: not JSON");
    CompareCommandTest.Run twice = CompareCommandTest.run("gate", "--report", shards[0].toString(), shards[0].toString());
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("shard-1.json: given twice").contains("would count twice");
    Path copy = dir.resolve("copy.json");
    Files.copy(shards[1], copy);
    CompareCommandTest.Run same = CompareCommandTest.run("gate", "--report", shards[1].toString(), copy.toString());
    assertThat(same.exit()).isEqualTo(2);
    assertThat(same.err()).contains("copy.json: the same document as");
    // two snapshots of one store period overlap, however their bytes differ: refused by their source
    Path snapA = dir.resolve("snap-a.json");
    Path snapB = dir.resolve("snap-b.json");
    assertThat(CompareCommandTest.run("report", "--store", db.toString(), "--json", snapA.toString(), "--fail-on", "never")
        .exit()).isZero();
    assertThat(CompareCommandTest.run("report", "--store", db.toString(), "--json", snapB.toString(), "--fail-on", "never")
        .exit()).isZero();
    assertThat(json.readTree(snapA.toFile()).get("source").asText()).startsWith("store ").endsWith(" period 1");
    CompareCommandTest.Run overlap = CompareCommandTest.run("gate", "--report", snapA.toString(), snapB.toString());
    assertThat(overlap.exit()).isEqualTo(2);
    assertThat(overlap.err()).contains("snap-b.json: the same evidence as").contains("would count it twice");
    CompareCommandTest.Run missingFile = CompareCommandTest.run("gate", "--report", dir.resolve("nope.json").toString());
    assertThat(missingFile.exit()).isEqualTo(2);
    assertThat(missingFile.err()).contains("nope.json: no such report file").doesNotContain("java.nio");
    CompareCommandTest.Run mixed = CompareCommandTest.run("gate", "--store", db.toString(), "--report", shards[0].toString());
    assertThat(mixed.exit()).isEqualTo(2);
    assertThat(mixed.err()).contains("give one source of evidence: --store, --report or --prometheus, not several");
  }

  @Test
  void gate_unseenEndpoint_fails() {
    CompareCommandTest.Run r = gate("--endpoint", "GET /api/nope");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsPattern("UNSEEN\\s+GET /api/nope: no evidence: the endpoint was never seen in this period");
  }

  @Test
  void gate_writesTheSameJsonAsTheAdminApi() throws Exception {
    Path out = dir.resolve("gate.json");
    assertThat(gate("--endpoint", PROVEN, "--json", out.toString()).exit()).isEqualTo(0);
    JsonNode g = json.readTree(out.toFile());
    assertThat(g.get("passed").asBoolean()).isTrue();
    assertThat(g.at("/rule/maxMismatchRate").asDouble()).isEqualTo(0.01);
    assertThat(g.at("/endpoints/0/endpoint").asText()).isEqualTo(PROVEN);
    assertThat(g.at("/endpoints/0/trials").asLong()).isEqualTo(700);
  }

  @Test
  void gate_badUsage_exit2() {
    CompareCommandTest.Run rate = gate("--max-mismatch-rate", "1.5");
    assertThat(rate.exit()).isEqualTo(2);
    assertThat(rate.err()).contains("parity gate: --max-mismatch-rate: must be at least 0 and below 1");
    CompareCommandTest.Run missing = CompareCommandTest.run("gate", "--store", dir.resolve("none.db").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("none.db: no such store file (a tap writes it with --store)");
    assertThat(Files.exists(dir.resolve("none.db"))).as("a missing store is not created").isFalse();
    CompareCommandTest.Run period = gate("--period", "7");
    assertThat(period.exit()).isEqualTo(2);
    assertThat(period.err()).contains("no period 7 (the store has periods 1 to 1)");
  }

  @Test
  void report_writesEveryFormatFromTheStore_andFailsOnFailing() throws Exception {
    Path out = dir.resolve("out");
    CompareCommandTest.Run r = CompareCommandTest.run("report", "--store", db.toString(), "--json", out.resolve("r.json").toString(),
        "--junit", out.resolve("r.xml").toString(), "--markdown", out.resolve("r.md").toString(), "--report",
        out.resolve("r.html").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("810 compared: 770 matched, 0 noise only, 40 mismatched; 0 errors; 0 not comparable; 3 skipped")
        .containsPattern("FAILING\\s+GET /api/orders/\\{id\\}\\s+100\\s+40\\s+40\\.0%\\s+/average \\(value, likely integer-division\\)")
        .contains("FAILED: at least one endpoint fails under --fail-on failing.")
        .as("names only what parity report has").doesNotContain("/api/report");
    JsonNode report = json.readTree(out.resolve("r.json").toFile());
    assertThat(report.at("/totals/compared").asLong()).isEqualTo(810);
    assertThat(report.get("endpoints")).hasSize(4);
    assertThat(report.has("input")).as("no replay input section").isFalse();
    String junit = Files.readString(out.resolve("r.xml"));
    assertThat(junit).contains("tests=\"4\"").contains("failures=\"1\"").contains("GET /api/orders/{id}");
    assertThat(Files.readString(out.resolve("r.md"))).contains("GET /api/orders/{id}").contains("FAILING");
    String html = Files.readString(out.resolve("r.html"));
    assertThat(html).contains("GET /api/orders/{id}").contains("/average").doesNotContain("<script src=").doesNotContain("<link ");

    assertThat(CompareCommandTest.run("report", "--store", db.toString(), "--fail-on", "never").exit()).isEqualTo(0);
    assertThat(CompareCommandTest.run("report", "--store", db.toString(), "--fail-on", "sometimes").exit()).isEqualTo(2);
  }

  @Test
  void report_reset_startsANewPeriod_keepingAndListingTheOld() {
    CompareCommandTest.Run r = CompareCommandTest.run("report", "--store", db.toString(), "--reset", "--fail-on", "never");
    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.out()).contains("810 compared")
        .contains("Period 1 ended; new evidence period 2 started (a running tap continues in it at its next flush).");
    CompareCommandTest.Run fresh = CompareCommandTest.run("report", "--store", db.toString());
    assertThat(fresh.exit()).isEqualTo(0);
    assertThat(fresh.out()).contains("period 2: since").contains("(still open)").contains("0 compared");
    CompareCommandTest.Run old = CompareCommandTest.run("report", "--store", db.toString(), "--period", "1", "--fail-on", "never");
    assertThat(old.out()).contains("period 1: since").contains(", ended ").contains("810 compared");
    CompareCommandTest.Run periods = CompareCommandTest.run("report", "--store", db.toString(), "--periods");
    assertThat(periods.out()).containsPattern("(?m)^1\\s+\\S+Z\\s+\\S+Z$").containsPattern("(?m)^2\\s+\\S+Z\\s+\\(open\\)$");
    CompareCommandTest.Run both = CompareCommandTest.run("report", "--store", db.toString(), "--period", "1", "--reset");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--reset ends the open period; it cannot go with --period or --periods");
    // the gate checks the newest period: nothing proven in it
    CompareCommandTest.Run gate = gate();
    assertThat(gate.exit()).isEqualTo(1);
    assertThat(gate.out()).contains("No endpoint has evidence in this period: nothing is proven.");
  }

  @Test
  void accept_writesAReviewedEntry_andReportWithTheBaseline_saysWhatEachEntryDid() throws Exception {
    Path file = dir.resolve("parity-baseline.yaml");
    CompareCommandTest.Run ok = CompareCommandTest.run("accept", "--baseline", file.toString(), "--field", "/average",
        "--kind", "value", "--endpoint", FAILING, "--reason", "Python 3 divides: intended", "--by", "alice");
    assertThat(ok.exit()).as(ok.err()).isEqualTo(0);
    assertThat(ok.out()).contains("Accepted /average (value) on " + FAILING).contains("Review and commit it");
    String text = Files.readString(file);
    assertThat(text).startsWith("# Shadow Parity baseline").contains("field: /average").contains("by: alice")
        .contains("Python 3 divides: intended").containsPattern("at: \"?20\\d\\d-");
    CompareCommandTest.Run twice = CompareCommandTest.run("accept", "--baseline", file.toString(), "--field", "/average",
        "--kind", "value", "--endpoint", FAILING, "--reason", "again");
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("already accepted");
    CompareCommandTest.Run badKind = CompareCommandTest.run("accept", "--baseline", file.toString(), "--field", "/x",
        "--kind", "sideways", "--reason", "r");
    assertThat(badKind.exit()).isEqualTo(2);
    assertThat(badKind.err()).contains("--kind").contains("sideways");
    assertThat(CompareCommandTest.run("accept", "--baseline", file.toString(), "--field", "header:x-gone", "--endpoint",
        PROVEN, "--reason", "was removed on purpose").exit()).isEqualTo(0);

    CompareCommandTest.Run report = CompareCommandTest.run("report", "--store", db.toString(), "--baseline", file.toString(),
        "--fail-on", "never", "--json", dir.resolve("r.json").toString());
    assertThat(report.exit()).as(report.err()).isEqualTo(0);
    // recorded without the baseline: the entry matches those mismatches (a tap or replay with it accepts them);
    // the other one no longer occurs where its endpoint was compared 700 times
    assertThat(report.out()).contains("Accepted as intended (baseline):")
        .containsPattern("recorded\\s+/average \\(value\\) on GET /api/orders/\\{id\\}: matches mismatches recorded without it")
        .containsPattern("STALE\\s+header:x-gone on GET /api/users/\\{id\\}: no longer occurs: remove the entry");
    JsonNode doc = json.readTree(dir.resolve("r.json").toFile());
    assertThat(doc.at("/baseline/0/state").asText()).isEqualTo("recorded");
    assertThat(doc.at("/baseline/1/state").asText()).isEqualTo("stale");
    Files.writeString(file, "accepted:\n  - field: /id\n");
    CompareCommandTest.Run bad = CompareCommandTest.run("report", "--store", db.toString(), "--baseline", file.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("parity-baseline.yaml").contains("reason");
  }

  @Test
  void help_ofBothCommands_explainsEveryOptionWithoutWarnings() {
    CompareCommandTest.Run gate = CompareCommandTest.run("gate", "--help");
    assertThat(gate.err()).isEmpty();
    assertThat(gate.out()).contains("--store").contains("--report").contains("--endpoint").contains("--max-mismatch-rate").contains("0.1%")
        .contains("--confidence").contains("--min-compared").contains("--period").contains("--json").contains("Default: parity.db");
    CompareCommandTest.Run report = CompareCommandTest.run("report", "--help");
    assertThat(report.err()).isEmpty();
    assertThat(report.out()).contains("--store").contains("--periods").contains("--reset").contains("--junit")
        .contains("--markdown").contains("--report").contains("--fail-on");
  }
}
