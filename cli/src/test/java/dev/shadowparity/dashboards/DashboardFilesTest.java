package dev.shadowparity.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.dashboards.DashboardFiles.PanelQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The shipped dashboard, rules, scrape config and Grafana provisioning, checked as files (no Prometheus needed). */
class DashboardFilesTest {

  private static final Set<String> GRAFANA_BUILTINS = Set.of("__rate_interval", "__range", "__interval");
  private static final Pattern SELECTOR = Pattern.compile("(parity_\\w+)\\{([^}]*)}");
  /** Gauges of the whole tap: no endpoint label. */
  private static final Set<String> TAP_GAUGES = Set.of("parity_shadow_in_flight", "parity_compare_queue",
      "parity_compare_active", "parity_buffered_bytes");

  @Test
  void dashboard_isAGrafana10DashboardWithUniquePanelsOnTheGrid() {
    JsonNode d = DashboardFiles.dashboard();
    assertThat(d.path("schemaVersion").asInt()).as("Grafana 10 writes schema 38/39").isBetween(38, 39);
    assertThat(d.path("uid").asText()).isEqualTo("shadow-parity");
    assertThat(d.path("title").asText()).isNotBlank();
    assertThat(d.path("id").isNull()).as("id is null so that import creates the dashboard").isTrue();

    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new ArrayList<>();
    SoftAssertions soft = new SoftAssertions();
    for (JsonNode p : d.path("panels")) {
      String name = "panel " + p.path("id") + " '" + p.path("title").asText() + "'";
      soft.assertThat(ids.add(p.path("id").asInt())).as(name + ": unique id").isTrue();
      soft.assertThat(p.path("title").asText()).as(name + ": title").isNotBlank();
      soft.assertThat(p.path("description").asText()).as(name + ": description").isNotBlank();
      soft.assertThat(p.path("datasource").path("uid").asText()).as(name + ": datasource").isEqualTo("${datasource}");
      soft.assertThat(p.path("datasource").path("type").asText()).as(name + ": datasource type").isEqualTo("prometheus");
      JsonNode g = p.path("gridPos");
      for (String k : List.of("h", "w", "x", "y")) {
        soft.assertThat(g.path(k).isInt()).as(name + ": gridPos." + k).isTrue();
      }
      int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
      soft.assertThat(box[0] + box[2]).as(name + ": fits the 24-column grid").isBetween(1, 24);
      soft.assertThat(box[3]).as(name + ": height").isPositive();
      for (int[] other : boxes) {
        boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2] && box[1] < other[1] + other[3]
            && other[1] < box[1] + box[3];
        soft.assertThat(overlap).as(name + " overlaps another panel").isFalse();
      }
      boxes.add(box);
      JsonNode targets = p.path("targets");
      soft.assertThat(targets.size()).as(name + ": targets").isPositive();
      Set<String> refIds = new HashSet<>();
      for (JsonNode t : targets) {
        soft.assertThat(t.path("expr").asText()).as(name + ": expr").isNotBlank();
        soft.assertThat(refIds.add(t.path("refId").asText())).as(name + ": unique refId " + t.path("refId")).isTrue();
        soft.assertThat(t.path("datasource").path("uid").asText()).as(name + ": target datasource").isEqualTo("${datasource}");
      }
    }
    soft.assertAll();
    assertThat(ids).hasSizeGreaterThanOrEqualTo(16);
  }

  @Test
  void dashboard_definesTheDatasourceJobInstanceAndEndpointVariables_andUsesNoOther() {
    Map<String, JsonNode> vars = new java.util.LinkedHashMap<>();
    DashboardFiles.dashboard().path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), v));
    assertThat(vars).containsOnlyKeys("datasource", "job", "instance", "endpoint");
    assertThat(vars.get("datasource").path("type").asText()).isEqualTo("datasource");
    assertThat(vars.get("datasource").path("query").asText()).isEqualTo("prometheus");
    for (String name : List.of("job", "instance", "endpoint")) {
      JsonNode v = vars.get(name);
      assertThat(v.path("type").asText()).as(name).isEqualTo("query");
      assertThat(v.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
      assertThat(v.path("multi").asBoolean() && v.path("includeAll").asBoolean()).as(name + ": multi, with All").isTrue();
      assertThat(v.path("allValue").asText()).as(name).isEqualTo(".*");
      assertThat(DashboardFiles.variableQueryAsPromQl(v.path("query").path("query").asText())).as(name).isNotNull();
      assertThat(v.path("definition").asText()).isEqualTo(v.path("query").path("query").asText());
    }

    Pattern used = Pattern.compile("\\$\\{?(\\w+)");
    for (PanelQuery q : DashboardFiles.panelQueries()) {
      Matcher m = used.matcher(q.expr());
      while (m.find()) {
        assertThat(vars.containsKey(m.group(1)) || GRAFANA_BUILTINS.contains(m.group(1))).as(q.where() + ": $" + m.group(1)).isTrue();
      }
    }
  }

  @Test
  void everySelector_filtersByTheVariables_andNamesADocumentedMetric() throws Exception {
    String metricsDoc = Files.readString(DashboardFiles.DIR.getParent().resolve("docs/metrics.md"));
    SoftAssertions soft = new SoftAssertions();
    for (PanelQuery q : DashboardFiles.panelQueries()) {
      Matcher m = SELECTOR.matcher(q.expr());
      int selectors = 0;
      while (m.find()) {
        selectors++;
        String metric = m.group(1);
        String matchers = m.group(2);
        soft.assertThat(matchers).as(q.where() + " " + metric).contains("job=~\"$job\"", "instance=~\"$instance\"");
        if (!TAP_GAUGES.contains(metric)) {
          soft.assertThat(matchers).as(q.where() + " " + metric).contains("endpoint=~\"$endpoint\"");
        }
        soft.assertThat(metricsDoc).as(metric + " documented in docs/metrics.md")
            .contains("`" + metric.replaceAll("_bucket$", "") + "`");
      }
      soft.assertThat(selectors).as(q.where() + ": selects parity metrics").isPositive();
    }
    for (DashboardFiles.Rule r : DashboardFiles.rules()) {
      Matcher m = Pattern.compile("parity_\\w+").matcher(r.expr());
      while (m.find()) {
        soft.assertThat(metricsDoc).as(r.name() + ": " + m.group() + " documented").contains("`" + m.group() + "`");
      }
    }
    soft.assertAll();
  }

  @Test
  void readme_explainsEveryPanel_andEveryAlert() throws Exception {
    String readme = Files.readString(DashboardFiles.README);
    for (PanelQuery q : DashboardFiles.panelQueries()) {
      assertThat(readme).as("dashboards/README.md explains " + q.where()).contains(q.title());
    }
    for (DashboardFiles.Rule r : DashboardFiles.rules()) {
      assertThat(readme).contains(r.name());
    }
  }

  @Test
  void rules_alertAfterTenMinutes_withSeverityAndSummary() {
    JsonNode groups = DashboardFiles.yaml(DashboardFiles.RULES).path("groups");
    assertThat(groups.size()).isPositive();
    for (JsonNode g : groups) {
      for (JsonNode r : g.path("rules")) {
        String name = r.path("alert").asText();
        assertThat(name).isNotBlank();
        assertThat(r.path("for").asText()).as(name).isEqualTo("10m");
        assertThat(r.path("labels").path("severity").asText()).as(name).isNotBlank();
        assertThat(r.path("annotations").path("summary").asText()).as(name).isNotBlank();
        assertThat(r.path("annotations").path("description").asText()).as(name).isNotBlank();
        assertThat(DashboardFiles.comparedOperands(r.path("expr").asText())).as(name + ": compares something").isNotEmpty();
      }
    }
  }

  @Test
  void scrapeConfig_scrapesTheTapsAdminMetrics_andLoadsTheShippedRules() {
    JsonNode c = DashboardFiles.yaml(DashboardFiles.SCRAPE_CONFIG);
    List<String> ruleFiles = new ArrayList<>();
    c.path("rule_files").forEach(f -> ruleFiles.add(f.asText()));
    assertThat(ruleFiles).containsExactly(DashboardFiles.RULES.getFileName().toString());
    assertThat(DashboardFiles.SCRAPE_CONFIG.resolveSibling(ruleFiles.get(0))).exists();
    JsonNode job = c.path("scrape_configs").get(0);
    assertThat(job.path("job_name").asText()).isEqualTo(DashboardFiles.JOB);
    assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).as("the tap's default --admin")
        .isEqualTo("127.0.0.1:9090");
  }

  @Test
  void grafanaProvisioning_pointsAtThePrometheusDatasourceAndTheDashboardFolder() throws Exception {
    Path datasources = DashboardFiles.PROVISIONING.resolve("datasources/parity-prometheus.yml");
    Path providers = DashboardFiles.PROVISIONING.resolve("dashboards/parity.yml");
    String readme = Files.readString(DashboardFiles.README);

    JsonNode ds = DashboardFiles.yaml(datasources);
    assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
    JsonNode prom = ds.path("datasources").get(0);
    assertThat(prom.path("type").asText()).as("what the dashboard's datasource variable lists")
        .isEqualTo(DashboardFiles.dashboard().path("templating").path("list").get(0).path("query").asText());
    assertThat(prom.path("access").asText()).isEqualTo("proxy");
    assertThat(prom.path("url").asText()).startsWith("http://");
    assertThat(prom.path("jsonData").path("timeInterval").asText()).as("the scrape interval, for $__rate_interval")
        .isEqualTo(DashboardFiles.yaml(DashboardFiles.SCRAPE_CONFIG).path("global").path("scrape_interval").asText());
    assertThat(readme).as("README starts Prometheus where the datasource looks")
        .contains("--web.listen-address=" + prom.path("url").asText().substring("http://".length()));

    JsonNode p = DashboardFiles.yaml(providers);
    assertThat(p.path("apiVersion").asInt()).isEqualTo(1);
    JsonNode provider = p.path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    String path = provider.path("options").path("path").asText();
    assertThat(path).startsWith("/");
    // the README mounts (or copies) this folder there, and the provisioning folder where Grafana reads it
    assertThat(readme).contains("\"$PWD/dashboards:" + path + ":ro\"")
        .contains("\"$PWD/dashboards/grafana/provisioning:/etc/grafana/provisioning:ro\"")
        .contains("dashboards/parity-dashboard.json " + path + "/");
    assertThat(DashboardFiles.DASHBOARD).exists();
    assertThat(DashboardFiles.DASHBOARD.getParent()).isEqualTo(DashboardFiles.DIR);
  }

  @Test
  void aMissingPrometheusBinary_failsSayingHowToInstallIt() {
    assertThatThrownBy(() -> PrometheusServer.executable("prometheus-not-installed")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("prometheus-not-installed is not on PATH").hasMessageContaining("apt-get install prometheus")
        .hasMessageContaining(".ci/run");
  }

  @Test
  void comparedOperands_splitsTopLevelComparisonsOnly() {
    assertThat(DashboardFiles.comparedOperands("sum by (e) (rate(x{a=\"b>c\"}[5m])) / (sum(y) > 0) > 0.01"))
        .containsExactly("sum by (e) (rate(x{a=\"b>c\"}[5m])) / (sum(y) > 0)");
    assertThat(DashboardFiles.comparedOperands("a > 1 and b{handler=\"x\"} <= 2.5e3 unless c"))
        .containsExactly("a", "b{handler=\"x\"}", "c");
    assertThatThrownBy(() -> DashboardFiles.comparedOperands("a > on (x) b")).hasMessageContaining("modifiers");
  }

  @Test
  void substitute_replacesEveryVariableForm_andRejectsUnknownOnes() {
    Map<String, String> v = Map.of("job", "j", "__range", "5m");
    assertThat(DashboardFiles.substitute("x{job=~\"$job\"}[$__range] ${job} [[job]]", v)).isEqualTo("x{job=~\"j\"}[5m] j j");
    assertThatThrownBy(() -> DashboardFiles.substitute("x{a=\"$jbo\"}", v)).hasMessageContaining("$jbo");
    assertThat(DashboardFiles.regexLiteral("GET /a/{id}.txt")).isEqualTo("GET /a/\\\\{id\\\\}\\\\.txt");
    assertThat(DashboardFiles.variableQueryAsPromQl("label_values(m{job=~\"a\"}, instance)").getValue())
        .isEqualTo("count by (instance) (m{job=~\"a\"})");
  }
}
