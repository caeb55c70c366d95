package dev.shadowparity.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.cli.Poll;
import dev.shadowparity.tap.Tap;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parity gate --prometheus} against a real Prometheus scraping three in-process taps (the demo's backends, one
 * tap's NEW failing on {@code /api/flaky}), the traffic spread unevenly over them: its counts and verdicts are exactly
 * those of the gate over the sum of the taps' own reports, also across a tap restarted inside the window (a counter
 * reset), and over a window that starts after some of the traffic (each series' base sample before the window).
 */
class GatePrometheusFleetTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run gate(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("gate"));
    all.addAll(args);
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void threeTaps_gateOnPrometheus_isExactlyTheGateOnTheSumOfTheirOwnReports() throws Exception {
    try (DemoFleet fleet = new DemoFleet()) {
      Tap a = fleet.startTap(true);
      Tap b = fleet.startTap(false);
      Tap c = fleet.startTap(false);
      List<Tap> taps = List.of(a, b, c);
      Path data = Files.createDirectories(dir.resolve("prometheus"));
      try (PrometheusServer prometheus = PrometheusServer.start(data, taps.stream().map(DemoFleet::adminAddress).toList(),
          List.of(RolloutsDocTest.rulesFile(dir)))) {
        DemoFleet.awaitCounted(a, fleet.drive(a, 4));
        DemoFleet.awaitCounted(b, fleet.drive(b, 3));
        DemoFleet.awaitCounted(c, fleet.drive(c, 2));
        awaitScraped(prometheus, taps);
        List<String> reports = reports(fleet, taps, "final");

        Set<String> verdicts = new HashSet<>();
        List<List<String>> rules = List.of(List.of(), List.of("--max-mismatch-rate", "0.5", "--min-compared", "5"),
            List.of("--endpoint", DemoFleet.FLAKY_ENDPOINT, "--endpoint", "GET /api/never"));
        for (List<String> rule : rules) {
          Path fromPrometheus = dir.resolve("prometheus-" + rules.indexOf(rule) + ".json");
          Path fromReports = dir.resolve("reports-" + rules.indexOf(rule) + ".json");
          Run p = gate(args(List.of("--prometheus", prometheus.url(), "--selector", "{job=\"" + DashboardFiles.JOB + "\"}",
              "--json", fromPrometheus.toString()), rule));
          List<String> r0 = new ArrayList<>(List.of("--report"));
          r0.addAll(reports);
          r0.addAll(List.of("--json", fromReports.toString()));
          Run r = gate(args(r0, rule));
          assertThat(p.err()).as(p.out()).isEmpty();
          assertThat(p.exit()).as(p.out()).isEqualTo(r.exit()).isIn(0, 1);
          JsonNode gp = DashboardFiles.JSON.readTree(fromPrometheus.toFile());
          JsonNode gr = DashboardFiles.JSON.readTree(fromReports.toFile());
          assertThat(gp).as("rule %s:%n%s%nvs%n%s", rule, p.out(), r.out()).isEqualTo(gr);
          assertThat(p.out()).startsWith("Evidence: Prometheus at " + prometheus.url() + ", the taps' counters summed over "
              + "the 1h up to ").contains("selector {job=\"parity-tap\"}").contains("from 3 scrape targets.");
          assertThat(body(p.out())).isEqualTo(body(r.out()));
          gp.path("endpoints").forEach(e -> verdicts.add(e.path("verdict").asText("UNSEEN")));
        }
        assertThat(verdicts).contains("FAILING", "PROVEN", "UNPROVEN", "NOT_MIRRORED", "UNSEEN");

        // the recording rules of docs/rollouts.md evaluate over the taps' own series: a verdict for every endpoint
        Set<String> endpoints = new HashSet<>();
        DashboardFiles.JSON.readTree(dir.resolve("prometheus-0.json").toFile()).path("endpoints")
            .forEach(e -> endpoints.add(e.path("endpoint").asText()));
        Map<String, Double> promql = Poll.until(() -> {
          Map<String, Double> v = prometheus.queryBy("endpoint", "parity_gate_1h:verdict", now());
          return v.keySet().containsAll(endpoints) ? v : null;
        }, Duration.ofSeconds(60), "the recording rules' verdict for every endpoint");
        assertThat(promql.values()).allSatisfy(v -> assertThat(v).isIn(-1.0, 0.0, 1.0));
        for (JsonNode g : prometheus.api("rules").path("groups")) {
          for (JsonNode rule : g.path("rules")) {
            if (rule.path("type").asText().equals("recording")) {
              assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError").asText())
                  .isEqualTo("ok");
            }
          }
        }
        // and the sums are the traffic's: every request counted once across the fleet
        long counted = 0;
        for (Tap t : taps) {
          counted += DemoFleet.exchangesCounted(t);
        }
        assertThat(prometheus.query("sum(parity_exchanges_total)", now()).get(0).value()).isEqualTo((double) counted);
      }
    }
  }

  @Test
  void aTapRestartedInsideTheWindow_stillSumsExactly_andAWindowStartingMidwayCountsOnlyWhatCameAfter() throws Exception {
    Path storeC = dir.resolve("c.db");
    try (DemoFleet fleet = new DemoFleet()) {
      Tap a = fleet.startTap(true);
      Tap b = fleet.startTap(false);
      Tap c = fleet.startTap(false, 0, storeC);
      String addressC = DemoFleet.adminAddress(c);
      List<String> targets = List.of(DemoFleet.adminAddress(a), DemoFleet.adminAddress(b), addressC);
      try (PrometheusServer prometheus = PrometheusServer.start(dir, targets)) {
        DemoFleet.awaitCounted(a, fleet.drive(a, 1));
        DemoFleet.awaitCounted(b, fleet.drive(b, 1));
        DemoFleet.awaitCounted(c, fleet.drive(c, 2));
        awaitScraped(prometheus, List.of(a, b, c));
        Map<String, long[]> before = judged(gate(reportArgs(reports(fleet, List.of(a, b, c), "mid"), dir.resolve("mid.json"))),
            dir.resolve("mid.json"));
        long mid = System.currentTimeMillis();
        // every target scraped again after mid: the base samples (at or before mid) hold the counts so far
        awaitScrapedAfter(prometheus, targets, mid);

        long aSent = fleet.drive(a, 1);
        DemoFleet.awaitCounted(a, 2 * aSent);
        DemoFleet.awaitCounted(c, fleet.drive(c, 1) * 3L);
        awaitScraped(prometheus, List.of(a, c));
        // C restarts on its store: its report counts on, its counters start again from 0 (a reset to Prometheus)
        fleet.stop(c);
        Tap c2 = fleet.startTap(false, Integer.parseInt(addressC.substring(addressC.indexOf(':') + 1)), storeC);
        Poll.until(() -> {
          List<PrometheusServer.Sample> s = prometheus.query("sum(parity_exchanges_total{instance=\"" + addressC + "\"})", now());
          return s.size() == 1 && s.get(0).value() == 0 ? true : null;
        }, Duration.ofSeconds(60), "Prometheus scraped the restarted tap at 0");
        DemoFleet.awaitCounted(c2, fleet.drive(c2, 1));
        DemoFleet.awaitCounted(b, 2L * fleet.drive(b, 1));
        awaitScraped(prometheus, List.of(a, b, c2));
        long end = System.currentTimeMillis();

        // the whole window: the restart inside it
        List<String> reports = reports(fleet, List.of(a, b, c2), "end");
        Path all = dir.resolve("all.json");
        Run p = gate(List.of("--prometheus", prometheus.url(), "--json", all.toString()));
        Run r = gate(reportArgs(reports, dir.resolve("end.json")));
        assertThat(p.err()).isEmpty();
        assertThat(DashboardFiles.JSON.readTree(all.toFile())).as("%s%nvs%n%s", p.out(), r.out())
            .isEqualTo(DashboardFiles.JSON.readTree(dir.resolve("end.json").toFile()));
        assertThat(p.exit()).isEqualTo(r.exit());

        // from mid to end: only what came after mid, the restart included
        Path window = dir.resolve("window.json");
        Run w = gate(List.of("--prometheus", prometheus.url(), "--at", BigDecimal.valueOf(end, 3).toPlainString(),
            "--window", (end - mid) + "ms", "--json", window.toString()));
        assertThat(w.err()).isEmpty();
        Map<String, long[]> inWindow = judged(w, window);
        Map<String, long[]> after = judged(r, dir.resolve("end.json"));
        Map<String, long[]> expected = new TreeMap<>();
        after.forEach((endpoint, n) -> {
          long[] was = before.getOrDefault(endpoint, new long[2]);
          expected.put(endpoint, new long[] {n[0] - was[0], n[1] - was[1]});
        });
        assertThat(expected.values()).as("traffic came after mid").anySatisfy(n -> assertThat(n[0]).isPositive());
        for (String endpoint : expected.keySet()) {
          assertThat(inWindow.getOrDefault(endpoint, new long[2])).as(endpoint + " trials and failures after mid:\n" + w.out())
              .containsExactly(expected.get(endpoint));
        }

        // one tap across its restart: its counters in Prometheus are its store file's evidence
        fleet.stop(c2);
        Path fromStore = dir.resolve("store.json");
        Path fromCounters = dir.resolve("counters.json");
        Run s = gate(List.of("--store", storeC.toString(), "--json", fromStore.toString()));
        Run one = gate(List.of("--prometheus", prometheus.url(), "--selector", "{instance=\"" + addressC + "\"}",
            "--json", fromCounters.toString()));
        assertThat(one.out()).contains("from 1 scrape target.");
        assertThat(verdicts(fromCounters)).as("%s%nvs%n%s", one.out(), s.out()).isEqualTo(verdicts(fromStore));
        assertThat(one.exit()).isEqualTo(s.exit());
      }
    }
  }

  // ---- helpers

  static List<String> args(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static List<String> reportArgs(List<String> reports, Path json) {
    List<String> out = new ArrayList<>(List.of("--report"));
    out.addAll(reports);
    out.addAll(List.of("--json", json.toString()));
    return out;
  }

  /** The gate's output after its first line (which names the evidence). */
  static String body(String out) {
    return out.substring(out.indexOf('\n') + 1);
  }

  /** Each tap's {@code /api/report}, written to a file. */
  List<String> reports(DemoFleet fleet, List<Tap> taps, String name) throws Exception {
    List<String> files = new ArrayList<>();
    for (Tap t : taps) {
      Path f = dir.resolve(name + "-" + t.adminPort() + ".json");
      Files.writeString(f, DashboardFiles.JSON.writeValueAsString(fleet.report(t)));
      files.add(f.toString());
    }
    return files;
  }

  /** Per endpoint of a gate's JSON, {trials, failures}. */
  static Map<String, long[]> judged(Run run, Path json) throws Exception {
    assertThat(run.exit()).as(run.out() + run.err()).isIn(0, 1);
    Map<String, long[]> out = new TreeMap<>();
    for (JsonNode e : DashboardFiles.JSON.readTree(json.toFile()).path("endpoints")) {
      out.put(e.path("endpoint").asText(), new long[] {e.path("trials").asLong(), e.path("failures").asLong()});
    }
    return out;
  }

  /** Per endpoint of a gate's JSON: verdict, trials, failures, hidden by noise, accepted. */
  static Map<String, String> verdicts(Path json) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode e : DashboardFiles.JSON.readTree(json.toFile()).path("endpoints")) {
      out.put(e.path("endpoint").asText(), e.path("verdict").asText() + " " + e.path("trials").asLong() + " "
          + e.path("failures").asLong() + " " + e.path("hiddenByNoise").asLong() + " " + e.path("accepted").asLong());
    }
    return out;
  }

  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** The counters the gate reads, by Micrometer name and Prometheus name. */
  private static final String[][] COUNTERS = {{"parity.exchanges", "parity_exchanges_total"},
      {"parity.reclassified", "parity_reclassified_total"}, {"parity.skipped", "parity_skipped_total"},
      {"parity.backend.errors", "parity_backend_errors_total"}};

  /**
   * Waits until Prometheus' newest samples of the taps' counters are the taps' own values: each counter only grows and
   * Prometheus holds values the tap had, so equal sums per tap and counter mean every series is scraped at its value.
   */
  static void awaitScraped(PrometheusServer prometheus, List<Tap> taps) throws Exception {
    Poll.until(() -> {
      for (Tap t : taps) {
        for (String[] counter : COUNTERS) {
          double own = t.registry().find(counter[0]).functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
          List<PrometheusServer.Sample> seen = prometheus.query("sum(" + counter[1] + "{instance=\""
              + DemoFleet.adminAddress(t) + "\"})", now());
          if (seen.size() != 1 || seen.get(0).value() != own) {
            return null;
          }
        }
      }
      return true;
    }, Duration.ofSeconds(60), "Prometheus scraped the taps' counts:\n" + prometheus.logTail());
  }

  /** Waits until Prometheus has scraped every target at a time after {@code millis}. */
  static void awaitScrapedAfter(PrometheusServer prometheus, List<String> targets, long millis) throws Exception {
    Poll.until(() -> {
      for (String target : targets) {
        List<PrometheusServer.Sample> t = prometheus.query("timestamp(up{instance=\"" + target + "\"})", now());
        if (t.size() != 1 || t.get(0).value() * 1000 <= millis) {
          return null;
        }
      }
      return true;
    }, Duration.ofSeconds(60), "Prometheus scraped every tap after " + millis);
  }
}
