package dev.shadowparity.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.dashboards.DashboardFiles.PanelQuery;
import dev.shadowparity.dashboards.DashboardFiles.Rule;
import dev.shadowparity.dashboards.DashboardFiles.Variable;
import dev.shadowparity.dashboards.PrometheusServer.Sample;
import dev.shadowparity.tap.Tap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboard and alert rules against a real Prometheus: two taps in front of the demo backends
 * (tap A's NEW fails on {@code GET /api/flaky}), traffic with matches and mismatches, Prometheus scraping both
 * taps with the shipped scrape config and evaluating the shipped rules, then every PromQL expression of the
 * dashboard and the rules evaluated through the HTTP API.
 *
 * <p>One Prometheus serves every test here (it takes a few seconds to start and to scrape): the single-tap
 * view is each query with one tap selected ({@code instance} = that tap), the fleet view is All.
 *
 * <p>Needs {@code prometheus} and {@code promtool} on PATH ({@code .ci/run} installs Debian's package); fails
 * with a message saying so when they are missing.
 */
class DashboardPrometheusTest {

  static final String MISMATCHING = "GET /api/orders/{id}/summary";
  static final String CLEAN = "GET /api/ping";
  static final String CLEAN_TOO = "GET /health";
  /** Demo endpoints only ever called with unsafe methods: never compared. */
  static final String NEVER_COMPARED = "POST /api/orders";
  static final Set<String> COMPARED = Set.of("match", "noise", "mismatch");
  /** Samples of every counter before the queries run: bounds Prometheus' extrapolation in increase() (see below). */
  static final int MIN_SCRAPES = 6;

  @TempDir
  static Path dir;

  static DemoFleet fleet;
  static Tap tapA;
  static Tap tapB;
  static PrometheusServer prometheus;
  /** Compared exchanges per endpoint, summed over both taps, before Prometheus' first scrape and at the end. */
  static Map<String, Double> comparedBefore;
  static Map<String, Double> comparedAfter;
  static int counterSamples;
  /** Every query runs at this instant, so results of different queries are of the same data. */
  static double evalTime;

  static String addrA;
  static String addrB;

  @BeforeAll
  static void startFleetAndPrometheus() throws Exception {
    PrometheusServer.executable("prometheus");
    PrometheusServer.executable("promtool");
    fleet = new DemoFleet();
    tapA = fleet.startTap(true);
    tapB = fleet.startTap(false);
    addrA = DemoFleet.adminAddress(tapA);
    addrB = DemoFleet.adminAddress(tapB);

    // one round before Prometheus starts, so every series exists at its first scrape
    int sentA = fleet.drive(tapA, 1);
    int sentB = fleet.drive(tapB, 1);
    DemoFleet.awaitCounted(tapA, sentA);
    DemoFleet.awaitCounted(tapB, sentB);
    comparedBefore = sum(DemoFleet.countsByEndpoint(tapA, COMPARED), DemoFleet.countsByEndpoint(tapB, COMPARED));

    prometheus = PrometheusServer.start(dir, List.of(addrA, addrB));
    awaitPrometheus("both taps scraped", () -> prometheus.query("up{job=\"" + DashboardFiles.JOB + "\"} == 1", now()).size() == 2);

    // traffic spread over several scrapes: tap A gets three rounds, tap B two, so a sum is told from a max
    for (int round = 0; round < 3; round++) {
      sentA += fleet.drive(tapA, 1);
      if (round < 2) {
        sentB += fleet.drive(tapB, 1);
      }
      Thread.sleep(700);
    }
    DemoFleet.awaitCounted(tapA, sentA);
    DemoFleet.awaitCounted(tapB, sentB);
    comparedAfter = sum(DemoFleet.countsByEndpoint(tapA, COMPARED), DemoFleet.countsByEndpoint(tapB, COMPARED));

    Map<String, Double> expected = Map.of(addrA, (double) sentA, addrB, (double) sentB);
    String counted = "sum by (instance) (parity_exchanges_total{job=\"" + DashboardFiles.JOB + "\"})";
    // samples held of the counters the range counts are checked against (fewer than the scrapes if one failed)
    String scraped = "min(count_over_time(parity_exchanges_total{job=\"" + DashboardFiles.JOB + "\"}[10m]))";
    awaitPrometheus("the final counts of both taps scraped, and " + MIN_SCRAPES + " samples of every counter",
        () -> prometheus.queryBy("instance", counted, now()).equals(expected)
            && prometheus.query(scraped, now()).get(0).value() >= MIN_SCRAPES);
    evalTime = now();
    counterSamples = (int) prometheus.query(scraped, evalTime).get(0).value();
  }

  @AfterAll
  static void stop() {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  // ---- variable bindings, as Grafana substitutes them

  static Map<String, String> bindings(String job, String instance, String endpoint) {
    Map<String, String> v = new HashMap<>();
    v.put("job", job);
    v.put("instance", instance);
    v.put("endpoint", endpoint);
    v.put("datasource", "prometheus");
    v.put("__rate_interval", "1m");
    v.put("__interval", "15s");
    v.put("__range", "10m");
    return v;
  }

  /** "All" selected everywhere: Grafana substitutes the variables' allValue. */
  static Map<String, String> all() {
    return bindings(".*", ".*", ".*");
  }

  /** One value selected per variable: Grafana substitutes it regex-escaped. */
  static Map<String, String> one(String instance, String endpoint) {
    return bindings(DashboardFiles.regexLiteral(DashboardFiles.JOB), DashboardFiles.regexLiteral(instance),
        DashboardFiles.regexLiteral(endpoint));
  }

  static Map<String, String> onlyInstance(String instance) {
    return bindings(".*", DashboardFiles.regexLiteral(instance), ".*");
  }

  static List<Sample> eval(PanelQuery q, Map<String, String> vars) throws IOException, InterruptedException {
    return prometheus.query(DashboardFiles.substitute(q.expr(), vars), evalTime);
  }

  static Map<String, Double> byEndpoint(String title, String refId, Map<String, String> vars) throws Exception {
    return prometheus.queryBy("endpoint", DashboardFiles.substitute(DashboardFiles.panelQuery(title, refId).expr(), vars), evalTime);
  }

  static double single(String title, Map<String, String> vars) throws Exception {
    List<Sample> r = eval(DashboardFiles.panelQuery(title, "A"), vars);
    assertThat(r).as(title).hasSize(1);
    return r.get(0).value();
  }

  // ---- the tests

  @Test
  void promtool_acceptsTheShippedRulesAndScrapeConfig() throws Exception {
    Map.Entry<Integer, String> rules = PrometheusServer.promtool("check", "rules", DashboardFiles.RULES.toString());
    assertThat(rules.getKey()).as(rules.getValue()).isZero();
    assertThat(rules.getValue()).contains("SUCCESS: " + DashboardFiles.rules().size() + " rules found");

    Map.Entry<Integer, String> config = PrometheusServer.promtool("check", "config", DashboardFiles.SCRAPE_CONFIG.toString());
    assertThat(config.getKey()).as(config.getValue()).isZero();
    assertThat(config.getValue()).contains("SUCCESS: 1 rule files found");
  }

  @Test
  void everyDashboardQuery_returnsNumbers_withAllSelected_andWithOneTapAndEndpointSelected() throws Exception {
    List<PanelQuery> queries = DashboardFiles.panelQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(16);
    Map<String, Map<String, String>> selections = new LinkedHashMap<>();
    selections.put("All", all());
    selections.put("tap A, " + MISMATCHING, one(addrA, MISMATCHING));
    selections.put("tap B, " + MISMATCHING, one(addrB, MISMATCHING));
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, Map<String, String>> sel : selections.entrySet()) {
      for (PanelQuery q : queries) {
        String expr = DashboardFiles.substitute(q.expr(), sel.getValue());
        List<Sample> result = prometheus.query(expr, evalTime);
        soft.assertThat(result).as("%s with %s:%n%s", q.where(), sel.getKey(), expr).isNotEmpty()
            .anySatisfy(s -> assertThat(s.value()).isFinite());
      }
    }
    soft.assertAll();
  }

  @Test
  void variableQueries_listTheJob_bothTaps_andTheEndpoints() throws Exception {
    Map<String, Set<String>> values = new HashMap<>();
    for (Variable v : DashboardFiles.variables()) {
      if (!v.type().equals("query")) {
        continue;
      }
      Map.Entry<String, String> promql = DashboardFiles.variableQueryAsPromQl(DashboardFiles.substitute(v.query(), all()));
      assertThat(promql).as("variable %s: %s is label_values(...)", v.name(), v.query()).isNotNull();
      Set<String> found = new TreeSet<>();
      for (Sample s : prometheus.query(promql.getValue(), evalTime)) {
        found.add(s.labels().get(promql.getKey()));
      }
      values.put(v.name(), found);
    }
    assertThat(values.get("job")).containsExactly(DashboardFiles.JOB);
    assertThat(values.get("instance")).containsExactlyInAnyOrder(addrA, addrB);
    assertThat(values.get("endpoint")).contains(MISMATCHING, CLEAN, CLEAN_TOO, NEVER_COMPARED, DemoFleet.FLAKY_ENDPOINT)
        .hasSize(fleet.demo.pairs().stream().map(p -> tapA.engine().endpointOf(p.method(), p.target())).collect(Collectors.toSet()).size() + 1);
  }

  @Test
  void mismatchRate_isOneForAnAlwaysMismatchingEndpoint_zeroForCleanOnes_andAbsentWhereNothingWasCompared() throws Exception {
    for (Map<String, String> vars : List.of(all(), onlyInstance(addrA), onlyInstance(addrB))) {
      Map<String, Double> rate = byEndpoint("Mismatch rate by endpoint", "A", vars);
      assertThat(rate.get(MISMATCHING)).as("every summary mismatches (937 vs 937.5)").isEqualTo(1.0, within(1e-9));
      assertThat(rate.get(CLEAN)).isEqualTo(0.0);
      assertThat(rate.get(CLEAN_TOO)).isEqualTo(0.0);
      assertThat(rate).doesNotContainKey(NEVER_COMPARED).allSatisfy((endpoint, r) -> assertThat(r).as(endpoint).isBetween(0.0, 1.0));

      Map<String, Double> table = byEndpoint("Mismatch rate by endpoint, now (worst first)", "A", vars);
      assertThat(table).isEqualTo(rate);
      Map<String, Double> overRange = byEndpoint("Per endpoint over the selected range (verdict-like)", "C", vars);
      assertThat(overRange.get(MISMATCHING)).isEqualTo(1.0, within(1e-9));
      assertThat(overRange.get(CLEAN)).isEqualTo(0.0);
    }
    assertThat(single("Mismatch rate", bindings(".*", ".*", DashboardFiles.regexLiteral(MISMATCHING)))).isEqualTo(1.0, within(1e-9));
    assertThat(single("Mismatch rate", bindings(".*", ".*", DashboardFiles.regexLiteral(CLEAN)))).isEqualTo(0.0);
    assertThat(single("Mismatch rate", all())).isStrictlyBetween(0.0, 1.0);
  }

  @Test
  void errorRates_newFailsOnlyWhereTheForwarderResetsIt_oldNever() throws Exception {
    assertThat(fleet.forwarderFailures).as("the forwarder in front of NEW failed only where told to").isEmpty();
    String panel = "Error rate: OLD vs NEW by endpoint";
    Map<String, Double> newOnA = byEndpoint(panel, "B", onlyInstance(addrA));
    assertThat(newOnA.get(DemoFleet.FLAKY_ENDPOINT)).as("every request mirrored by tap A to NEW for /api/flaky failed")
        .isEqualTo(1.0, within(1e-9));
    assertThat(newOnA.get(CLEAN)).isEqualTo(0.0);
    assertThat(byEndpoint(panel, "B", onlyInstance(addrB)).get(DemoFleet.FLAKY_ENDPOINT)).isEqualTo(0.0);
    assertThat(byEndpoint(panel, "B", all()).get(DemoFleet.FLAKY_ENDPOINT)).as("A's failures over both taps' traffic")
        .isStrictlyBetween(0.0, 1.0);
    assertThat(byEndpoint(panel, "A", all())).as("OLD never failed").isNotEmpty().allSatisfy((e, r) -> assertThat(r).as(e).isZero());
    assertThat(single("NEW error rate", all())).isStrictlyBetween(0.0, 1.0);

    JsonNode flaky = endpoint(fleet.report(tapA), DemoFleet.FLAKY_ENDPOINT);
    assertThat(flaky.path("errors").asLong()).as("tap A's own report agrees").isEqualTo(4);
    assertThat(flaky.path("compared").asLong()).isZero();
  }

  @Test
  void alertRules_evaluate_theirOperandsHaveData_andTheyPickTheRightEndpoints() throws Exception {
    List<Rule> rules = DashboardFiles.rules();
    assertThat(rules).extracting(Rule::name).containsExactly("ParityMismatchRateHigh", "ParityNewErrorRateHigh", "ParityExchangesDropped");
    Map<String, List<Sample>> firing = new HashMap<>();
    SoftAssertions soft = new SoftAssertions();
    for (Rule rule : rules) {
      // the whole expression is valid and evaluates (empty when nothing crosses the threshold) ...
      firing.put(rule.name(), prometheus.query(rule.expr(), evalTime));
      // ... and what it compares with the threshold has data, so an empty result means "below", not "no data"
      List<String> operands = DashboardFiles.comparedOperands(rule.expr());
      soft.assertThat(operands).as(rule.name()).isNotEmpty();
      for (String operand : operands) {
        soft.assertThat(prometheus.query(operand, evalTime)).as("%s, compared operand:%n%s", rule.name(), operand).isNotEmpty()
            .anySatisfy(s -> assertThat(s.value()).isFinite());
      }
    }
    soft.assertAll();

    assertThat(endpoints(firing.get("ParityMismatchRateHigh"))).contains(MISMATCHING).doesNotContain(CLEAN, CLEAN_TOO,
        DemoFleet.FLAKY_ENDPOINT);
    assertThat(endpoints(firing.get("ParityNewErrorRateHigh"))).containsExactly(DemoFleet.FLAKY_ENDPOINT);
    assertThat(firing.get("ParityExchangesDropped")).as("no tap was overloaded").isEmpty();
    Map<String, Double> dropShare = prometheus.queryBy("instance",
        DashboardFiles.comparedOperands(rules.get(2).expr()).get(0), evalTime);
    assertThat(dropShare).containsOnlyKeys(addrA, addrB).containsValues(0.0);

    // Prometheus loaded the shipped rules through the shipped config and evaluates them without error
    JsonNode groups = prometheus.api("rules").path("groups");
    List<String> loaded = new ArrayList<>();
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        loaded.add(r.path("name").asText());
        assertThat(r.path("health").asText()).as(r.path("name").asText() + ": " + r.path("lastError").asText()).isEqualTo("ok");
      }
    }
    assertThat(loaded).containsExactlyElementsOf(rules.stream().map(Rule::name).toList());

    // the mismatch and NEW-error alerts go pending (for: 10m has not passed), for those endpoints only
    awaitPrometheus("the alerts pending", () -> pending().containsAll(Set.of(
        "ParityMismatchRateHigh " + MISMATCHING, "ParityNewErrorRateHigh " + DemoFleet.FLAKY_ENDPOINT)));
    assertThat(pending()).noneMatch(a -> a.endsWith(" " + CLEAN)).noneMatch(a -> a.startsWith("ParityExchangesDropped"));
  }

  /**
   * Two taps scraped as one job: the dashboard's sums over the fleet are the sums of each tap's values, and the
   * counts agree with the taps' own reports.
   */
  @Test
  void twoTaps_dashboardSumsEqualTheSumOfEachTap() throws Exception {
    // exact: what Prometheus holds of both taps' counters sums to the two /api/report documents
    JsonNode reportA = fleet.report(tapA);
    JsonNode reportB = fleet.report(tapB);
    Map<String, Double> compared = prometheus.queryBy("endpoint",
        "sum by (endpoint) (parity_exchanges_total{job=\"" + DashboardFiles.JOB + "\", outcome=~\"match|noise|accepted|mismatch\"})", evalTime);
    assertThat(compared).isEqualTo(comparedAfter);
    for (JsonNode e : reportA.path("endpoints")) {
      String name = e.path("endpoint").asText();
      double both = e.path("compared").asDouble() + endpoint(reportB, name).path("compared").asDouble();
      assertThat(compared.get(name)).as(name).isEqualTo(both);
    }
    assertThat(compared.get(MISMATCHING)).isGreaterThan(endpoint(reportA, MISMATCHING).path("compared").asDouble());

    // exact: every summing query of the dashboard gives, over both taps, the sum of its values for each tap
    List<PanelQuery> summing = List.of(
        DashboardFiles.panelQuery("Compared per second", "A"),
        DashboardFiles.panelQuery("Compared per second by endpoint", "A"),
        DashboardFiles.panelQuery("Per endpoint over the selected range (verdict-like)", "A"),
        DashboardFiles.panelQuery("Per endpoint over the selected range (verdict-like)", "B"),
        DashboardFiles.panelQuery("Per endpoint over the selected range (verdict-like)", "D"),
        DashboardFiles.panelQuery("Per endpoint over the selected range (verdict-like)", "E"),
        DashboardFiles.panelQuery("Backend errors per second by kind", "A"),
        DashboardFiles.panelQuery("Skipped and dropped by reason", "A"),
        // gauges, idle (0) once the traffic is done; summed per tap, so both taps appear
        DashboardFiles.panelQuery("In flight and queue", "A"),
        DashboardFiles.panelQuery("In flight and queue", "B"),
        DashboardFiles.panelQuery("In flight and queue", "C"),
        DashboardFiles.panelQuery("Buffered bytes", "A"));
    for (PanelQuery q : summing) {
      Map<Map<String, String>, Double> fleetValues = byLabels(eval(q, all()));
      Map<Map<String, String>, Double> a = byLabels(eval(q, onlyInstance(addrA)));
      Map<Map<String, String>, Double> b = byLabels(eval(q, onlyInstance(addrB)));
      Set<Map<String, String>> keys = new HashSet<>(a.keySet());
      keys.addAll(b.keySet());
      assertThat(fleetValues.keySet()).as(q.where()).isEqualTo(keys);
      if (q.expr().contains("rate(") || q.expr().contains("increase(")) {
        assertThat(fleetValues.values()).as(q.where()).anySatisfy(v -> assertThat(v).isPositive());
      } else {
        assertThat(fleetValues.keySet()).as(q.where()).extracting(l -> l.get("instance")).containsExactlyInAnyOrder(addrA, addrB);
      }
      fleetValues.forEach((labels, v) -> assertThat(v).as("%s %s", q.where(), labels)
          .isCloseTo(a.getOrDefault(labels, 0.0) + b.getOrDefault(labels, 0.0), within(1e-9 * Math.max(1, Math.abs(v)))));
    }

    // bounded: the verdict-like "Compared" over the range counts what both taps compared while Prometheus
    // watched. increase() extrapolates each series by at most 1.1 average sample intervals at each end, so with
    // n samples per series the estimate lies in [delta, delta * (1 + 2.2 / (n - 1))]; tap A alone (3 of the 5
    // rounds) would fall below, a count taken twice above.
    Map<String, Double> overRange = byEndpoint("Per endpoint over the selected range (verdict-like)", "A", all());
    double slack = 1 + 2.2 / (counterSamples - 1);
    for (Map.Entry<String, Double> e : comparedAfter.entrySet()) {
      double delta = e.getValue() - comparedBefore.getOrDefault(e.getKey(), 0.0);
      assertThat(overRange.get(e.getKey())).as("%s: %s compared while scraped, %d samples", e.getKey(), delta, counterSamples)
          .isBetween(delta * (1 - 1e-9), delta * slack + 1e-9);
    }
  }

  // ---- helpers

  interface Check {
    boolean holds() throws Exception;
  }

  static void awaitPrometheus(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened within 30 s: " + what + "\nPrometheus log:\n" + prometheus.logTail());
      }
      Thread.sleep(200);
    }
  }

  static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  static Map<String, Double> sum(Map<String, Double> a, Map<String, Double> b) {
    Map<String, Double> out = new HashMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Double::sum));
    return out;
  }

  static Map<Map<String, String>, Double> byLabels(List<Sample> samples) {
    Map<Map<String, String>, Double> out = new HashMap<>();
    samples.forEach(s -> out.put(s.labels(), s.value()));
    return out;
  }

  static Set<String> endpoints(List<Sample> samples) {
    return samples.stream().map(s -> s.labels().get("endpoint")).collect(Collectors.toCollection(TreeSet::new));
  }

  static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in the report");
  }

  /** Pending or firing alerts as "AlertName endpoint" (or "AlertName instance" for per-tap alerts). */
  static Set<String> pending() throws IOException, InterruptedException {
    Set<String> out = new TreeSet<>();
    for (JsonNode a : prometheus.api("alerts").path("alerts")) {
      JsonNode labels = a.path("labels");
      String on = labels.has("endpoint") ? labels.path("endpoint").asText() : labels.path("instance").asText();
      out.add(labels.path("alertname").asText() + " " + on);
    }
    return out;
  }
}
