package dev.shadowparity.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.cli.Poll;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.report.ConfidenceSequence;
import dev.shadowparity.report.Gate;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.report.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of {@code docs/rollouts.md}: every YAML block parses; the shell of the gate's job and of the Flagger
 * webhook is valid and reads the gate's JSON as the gate writes it; the recording rules pass {@code promtool} and,
 * evaluated by Debian's Prometheus, give the code's verdict ({@link ConfidenceSequence}) for counts on both sides of
 * every PROVEN and FAILING boundary; the Argo Rollouts and Flagger queries over them give one number.
 */
class RolloutsDocTest {

  static final Path DOC = DashboardFiles.DIR.getParent().resolve("docs/rollouts.md");
  /** The rule the recording rules are written for. */
  static final ConfidenceSequence RULE = new ConfidenceSequence(0.001, 0.95, 30);
  static final String TRIALS = "parity_gate_1h:trials";
  static final String FAILURES = "parity_gate_1h:failures";
  static final String UNJUDGED = "parity_gate_1h:unjudged";
  static final String VERDICT = "parity_gate_1h:verdict";

  @TempDir
  Path dir;

  static List<String> yamlBlocks() throws IOException {
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static List<JsonNode> documents(String block) throws IOException {
    return DashboardFiles.YAML.readerFor(JsonNode.class).<JsonNode>readValues(block).readAll();
  }

  /** The one manifest of a kind and name in the page. */
  static JsonNode manifest(String kind, String name) throws IOException {
    return manifest(kind, name, d -> true);
  }

  /** The one manifest of a kind and name in the page that also {@code matches} (the page shows alternatives). */
  static JsonNode manifest(String kind, String name, java.util.function.Predicate<JsonNode> matches) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (String block : yamlBlocks()) {
      for (JsonNode d : documents(block)) {
        if (d != null && kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText())
            && matches.test(d)) {
          found.add(d);
        }
      }
    }
    assertThat(found).as("%s %s in %s", kind, name, DOC).hasSize(1);
    return found.get(0);
  }

  static String rulesBlock() throws IOException {
    List<String> rules = yamlBlocks().stream().filter(b -> b.contains("\ngroups:\n")).toList();
    assertThat(rules).as("one rule group in " + DOC).hasSize(1);
    return rules.get(0);
  }

  /** The page's recording rules as a rule file in {@code dir}, evaluated every {@link PrometheusServer#INTERVAL}. */
  static Path rulesFile(Path dir) throws IOException {
    ObjectNode doc = (ObjectNode) documents(rulesBlock()).get(0);
    ((ObjectNode) doc.withArrayProperty("groups").get(0)).put("interval", PrometheusServer.INTERVAL);
    Path file = dir.resolve("parity-gate-rules.yml");
    Files.writeString(file, DashboardFiles.YAML.writeValueAsString(doc));
    return file;
  }

  @Test
  void everyYamlBlock_parses_andTheShellInThemIsValid() throws Exception {
    List<String> blocks = yamlBlocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    List<String> kinds = new ArrayList<>();
    for (String block : blocks) {
      List<JsonNode> docs = documents(block);
      assertThat(docs).as(block).isNotEmpty().doesNotContainNull();
      docs.forEach(d -> kinds.add(d.path("kind").asText("-")));
    }
    assertThat(kinds).contains("AnalysisTemplate", "MetricTemplate", "Canary", "Rollout");

    JsonNode job = manifest("AnalysisTemplate", "parity-gate-fleet").at("/spec/metrics/0/provider/job/spec/template/spec/containers/0");
    assertThat(job.at("/command/0").asText()).isEqualTo("/bin/sh");
    String script = job.at("/args/0").asText();
    assertThat(script).contains("parity.jar gate --prometheus").contains("--window \"$(( $(date +%s) - start ))s\"");
    assertThat(shell("/bin/sh", script)).as("sh -n accepts the job's script").isZero();
    // the script tells FAILING from UNPROVEN (both exit 1) by the gate's JSON, as the gate writes it
    Matcher grep = Pattern.compile("grep -q '([^']+)' /tmp/gate.json").matcher(script);
    assertThat(grep.find()).isTrue();
    VerdictConfig rule = new VerdictConfig(0.001, 0.95, 30L);
    String unproven = ReportJson.mapper().writeValueAsString(Gate.evaluate(Report.of(Instant.now(),
        new Report.VerdictRule(0.001, 0.95, 30), List.of()), List.of("GET /api/users"), rule));
    assertThat(unproven).contains(grep.group(1));

    JsonNode webhooks = manifest("Canary", "users-api", d -> d.toString().contains("flagger-loadtester"))
        .at("/spec/analysis/webhooks");
    List<String> commands = new ArrayList<>();
    webhooks.forEach(w -> {
      if ("bash".equals(w.at("/metadata/type").asText())) {
        commands.add(w.at("/metadata/cmd").asText());
      }
    });
    assertThat(commands).hasSize(2);
    for (String cmd : commands) {
      assertThat(shell("bash", cmd)).as("bash -n accepts %s", cmd).isZero();
    }
    assertThat(commands.get(1)).contains("parity.jar gate --prometheus");
  }

  private int shell(String shell, String script) throws Exception {
    Process p = new ProcessBuilder(shell, "-n", "-c", script).redirectErrorStream(true)
        .redirectOutput(dir.resolve("shell.log").toFile()).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(dir.resolve("shell.log"))).isEmpty();
    return p.exitValue();
  }

  /** A grid point: counts, and the name the rules see it under. */
  record Point(String endpoint, long trials, long failures, long unjudged) {
    /** What the PromQL verdict must be: the code's, except FAILING when some exchanges were unjudged (then 0). */
    int expected() {
      Verdict v = RULE.judge(failures, trials, unjudged).verdict();
      return v == Verdict.PROVEN ? 1 : v == Verdict.FAILING && unjudged == 0 ? -1 : 0;
    }
  }

  static List<Point> grid() {
    List<Point> points = new ArrayList<>();
    for (long f = 0; f <= 10; f++) {
      long proven = f + RULE.cleanNeeded(f, f); // the fewest trials with f failures that are PROVEN
      points.add(new Point("", proven - 1, f, 0));
      points.add(new Point("", proven, f, 0));
      if (f > 0) {
        points.add(new Point("", proven, f, 1)); // unjudged failures count against PROVEN all the same
      }
    }
    for (long n : new long[] {2, 10, 50, 200, 1000, 5000, 20000, 100000}) {
      long f = 1;
      while (RULE.verdict(f, n) != Verdict.FAILING) {
        f++;
      }
      points.add(new Point("", n, f - 1, 0));
      points.add(new Point("", n, f, 0));
      points.add(new Point("", n, f, 1)); // FAILING is not told while some exchanges were unjudged
    }
    points.add(new Point("", 0, 0, 0));
    points.add(new Point("", 29, 0, 0));
    points.add(new Point("", 30, 30, 0));
    Random random = new Random(20);
    for (int i = 0; i < 40; i++) {
      long n = random.nextInt(60_000);
      long f = n == 0 ? 0 : random.nextInt((int) Math.min(n, 120) + 1);
      points.add(new Point("", n, f, f == 0 ? 0 : random.nextInt(2)));
    }
    List<Point> named = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      named.add(new Point("p" + i, p.trials(), p.failures(), p.unjudged()));
    }
    // two PROVEN points under the names the Argo Rollouts and Flagger queries ask for
    named.add(new Point("GET /api/users/{id}", 6000, 0, 0));
    named.add(new Point("GET /api/users", 9120, 1, 0));
    return named;
  }

  /** A vector with one series per point: {@code label_replace(vector(N), "endpoint", "p0", "", "") or ...}. */
  static String vector(List<Point> points, java.util.function.ToLongFunction<Point> count) {
    List<String> parts = new ArrayList<>();
    for (Point p : points) {
      parts.add("label_replace(vector(" + count.applyAsLong(p) + "), \"endpoint\", \"" + p.endpoint() + "\", \"\", \"\")");
    }
    return String.join("\nor ", parts);
  }

  @Test
  void recordingRules_passPromtool_andGiveTheCodesVerdict_onBothSidesOfEveryBoundary() throws Exception {
    String block = rulesBlock();
    Path rules = dir.resolve("parity-gate-rules.yml");
    Files.writeString(rules, block, StandardCharsets.UTF_8);
    Map.Entry<Integer, String> check = PrometheusServer.promtool("check", "rules", rules.toString());
    assertThat(check.getKey()).as(check.getValue()).isZero();
    assertThat(check.getValue()).contains("SUCCESS: 10 rules found");

    // the page's rules, evaluated every second, with the counts given instead of read from taps
    List<Point> grid = grid();
    ObjectNode doc = (ObjectNode) documents(block).get(0);
    ObjectNode group = (ObjectNode) doc.withArrayProperty("groups").get(0);
    group.put("interval", PrometheusServer.INTERVAL);
    int replaced = 0;
    for (JsonNode r : (ArrayNode) group.get("rules")) {
      String name = r.path("record").asText();
      String expr = switch (name) {
        case TRIALS -> vector(grid, Point::trials);
        case FAILURES -> vector(grid, Point::failures);
        case UNJUDGED -> vector(grid, Point::unjudged);
        default -> null;
      };
      if (expr != null) {
        ((ObjectNode) r).put("expr", expr);
        replaced++;
      }
    }
    assertThat(replaced).isEqualTo(3);
    Path gridRules = dir.resolve("parity-gate-grid.yml");
    Files.writeString(gridRules, DashboardFiles.YAML.writeValueAsString(doc));
    Path data = Files.createDirectories(dir.resolve("prometheus"));
    try (PrometheusServer prometheus = PrometheusServer.start(data, List.of(), List.of(gridRules))) {
      Map<String, Double> verdicts = Poll.until(() -> {
        Map<String, Double> v = prometheus.queryBy("endpoint", VERDICT, System.currentTimeMillis() / 1000.0);
        return v.size() == grid.size() ? v : null;
      }, Duration.ofSeconds(60), "the rules evaluated for every grid point");
      Map<String, String> wrong = new LinkedHashMap<>();
      for (Point p : grid) {
        double got = verdicts.get(p.endpoint());
        if (got != p.expected()) {
          wrong.put(p.toString(), "PromQL " + got + ", the code " + p.expected());
        }
      }
      assertThat(wrong).as("points where the rules and the code disagree").isEmpty();
      assertThat(grid).extracting(Point::expected).contains(1, 0, -1);
      for (JsonNode g : prometheus.api("rules").path("groups")) {
        if (!g.path("name").asText().equals(group.path("name").asText())) {
          continue; // the shipped alerts, which have no data here
        }
        assertThat(g.path("rules")).hasSize(10);
        for (JsonNode r : g.path("rules")) {
          assertThat(r.path("health").asText()).as(r.path("name").asText() + ": " + r.path("lastError").asText()).isEqualTo("ok");
        }
      }

      // Argo Rollouts' and Flagger's queries: one number, 1 when both named endpoints are PROVEN, 0 when one is unseen
      String argo = manifest("AnalysisTemplate", "parity-gate-promql").at("/spec/metrics/0/provider/prometheus/query").asText();
      String flagger = manifest("MetricTemplate", "parity-gate-promql").at("/spec/query").asText();
      double now = System.currentTimeMillis() / 1000.0;
      for (String query : List.of(argo, flagger)) {
        List<PrometheusServer.Sample> one = prometheus.query(query, now);
        assertThat(one).as(query).hasSize(1);
        assertThat(one.get(0).value()).as(query).isEqualTo(1.0);
        List<PrometheusServer.Sample> unseen = prometheus.query(query.replace("GET /api/users\"", "GET /api/nope\""), now);
        assertThat(unseen.get(0).value()).as("an endpoint without a verdict counts as 0").isEqualTo(0.0);
      }
    }
  }
}
