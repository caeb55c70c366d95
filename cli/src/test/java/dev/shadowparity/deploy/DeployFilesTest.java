package dev.shadowparity.deploy;

import static dev.shadowparity.deploy.DeployFiles.bytes;
import static dev.shadowparity.deploy.DeployFiles.env;
import static dev.shadowparity.deploy.DeployFiles.maxHeap;
import static dev.shadowparity.deploy.DeployFiles.option;
import static dev.shadowparity.deploy.DeployFiles.port;
import static dev.shadowparity.deploy.DeployFiles.portNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.config.ConfigFile;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.deploy.DeployFiles.Doc;
import dev.shadowparity.deploy.DeployFiles.Instruction;
import dev.shadowparity.deploy.DeployFiles.Pod;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Vertx;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The root {@code Dockerfile} and the Kubernetes example of {@code deploy/}, checked against what they run: the
 * real picocli commands, the real config loader, a real tap's admin routes, the launcher's JVM options, the root
 * pom's modules and promtool. No container runtime or cluster is needed (deploy/README.md).
 */
class DeployFilesTest {

  static final String NAMESPACE = "parity-example";

  /** What the tap container's memory limit must hold beyond the heap (bench/README.md's soak: RSS ~140 MB above it). */
  static final long TAP_NON_HEAP = 256L << 20;
  /** The same for the one-shot commands (gate, report) when their heap is fixed. */
  static final long JOB_NON_HEAP = 128L << 20;

  private final List<Doc> docs = DeployFiles.docs();
  private final List<Pod> pods = DeployFiles.pods(docs);

  // ---------------------------------------------------------------------------------------------- the files

  @Test
  void everyYamlDocumentParses_andIsAKubernetesObjectOfTheExampleNamespace() {
    assertThat(DeployFiles.yamlFiles()).as("YAML files under deploy/").isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    Set<String> seen = new HashSet<>();
    for (Doc d : docs) {
      soft.assertThat(d.node().isObject()).as(d.where() + ": a mapping").isTrue();
      soft.assertThat(d.node().path("apiVersion").asText()).as(d.where() + ": apiVersion").isNotBlank();
      soft.assertThat(d.kind()).as(d.where() + ": kind").isNotBlank();
      if (d.kind().equals("Kustomization")) {
        continue;
      }
      soft.assertThat(d.name()).as(d.where() + ": metadata.name").isNotBlank();
      if (!DeployFiles.CLUSTER_KINDS.contains(d.kind())) {
        soft.assertThat(d.namespace()).as(d.where() + ": metadata.namespace").isEqualTo(NAMESPACE);
      }
      soft.assertThat(seen.add(d.kind() + "/" + d.namespace() + "/" + d.name())).as(d.where() + ": unique").isTrue();
    }
    soft.assertAll();
    DeployFiles.one(docs, "Namespace", NAMESPACE);
    for (String kind : List.of("StatefulSet", "Secret", "ConfigMap", "Service", "AnalysisTemplate", "Rollout",
        "PodMonitor")) {
      assertThat(DeployFiles.ofKind(docs, kind)).as("a " + kind + " in deploy/").isNotEmpty();
    }
  }

  @Test
  void kustomizationListsEveryManifestOfItsFolder() throws Exception {
    Doc k = DeployFiles.one(docs, "Kustomization", "");
    assertThat(k.file()).isEqualTo(DeployFiles.KUBERNETES.resolve("kustomization.yaml"));
    List<String> listed = new ArrayList<>();
    k.node().path("resources").forEach(r -> listed.add(r.asText()));
    List<String> present;
    try (var s = Files.list(DeployFiles.KUBERNETES)) {
      present = s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
    }
    assertThat(listed).as("kustomization.yaml resources: every manifest of deploy/kubernetes/, once")
        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(present);
  }

  @Test
  void everyReferenceResolves_secretsConfigMapsVolumesPortsServicesAndAccounts() {
    SoftAssertions soft = new SoftAssertions();
    for (Pod p : pods) {
      String ns = p.doc().namespace();
      Set<String> volumes = new HashSet<>();
      p.doc().node().path("spec").path("volumeClaimTemplates")
          .forEach(t -> volumes.add(t.path("metadata").path("name").asText())); // a StatefulSet's own claims
      for (JsonNode v : p.spec().path("volumes")) {
        volumes.add(v.path("name").asText());
        if (v.has("configMap") && !v.path("configMap").path("optional").asBoolean()) {
          String name = v.path("configMap").path("name").asText();
          soft.assertThat(DeployFiles.find(docs, "ConfigMap", name)).as(p.where() + ": volume's ConfigMap " + name).isPresent();
        }
        if (v.has("secret") && !v.path("secret").path("optional").asBoolean()) {
          String name = v.path("secret").path("secretName").asText();
          soft.assertThat(DeployFiles.find(docs, "Secret", name)).as(p.where() + ": volume's Secret " + name).isPresent();
        }
      }
      if (p.spec().has("serviceAccountName")) {
        soft.assertThat(DeployFiles.find(docs, "ServiceAccount", p.spec().path("serviceAccountName").asText()))
            .as(p.where() + ": service account").isPresent();
      }
      for (JsonNode c : p.containers()) {
        String where = p.where(c);
        for (JsonNode e : c.path("env")) {
          JsonNode ref = e.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode()) {
            soft.assertThat(secretValue(ref)).as(where + ": env " + e.path("name").asText() + " from Secret").isPresent();
          }
          JsonNode cm = e.path("valueFrom").path("configMapKeyRef");
          if (!cm.isMissingNode()) {
            soft.assertThat(DeployFiles.find(docs, "ConfigMap", cm.path("name").asText())
                    .map(d -> d.node().path("data").has(cm.path("key").asText())).orElse(false))
                .as(where + ": env " + e.path("name").asText() + " from ConfigMap").isTrue();
          }
        }
        for (JsonNode m : c.path("volumeMounts")) {
          soft.assertThat(volumes).as(where + ": volumeMount " + m.path("name").asText()).contains(m.path("name").asText());
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
          JsonNode http = c.path(probe).path("httpGet");
          if (!http.isMissingNode()) {
            soft.assertThat(portNumber(http.path("port"), List.of(c))).as(where + ": " + probe + " port").isPositive();
          }
        }
        DeployFiles.resolvedArgs(c, "pod-0"); // every $(VAR) is defined
      }
    }
    for (Doc s : DeployFiles.ofKind(docs, "Service")) {
      List<Pod> selected = DeployFiles.selected(pods, s.namespace(), s.node().path("spec").path("selector"));
      soft.assertThat(selected).as(s.where() + ": selects a workload's pods").isNotEmpty();
      for (JsonNode port : s.node().path("spec").path("ports")) {
        for (Pod p : selected) {
          soft.assertThat(portNumber(port.path("targetPort"), p.containers()))
              .as(s.where() + ": targetPort " + port.path("targetPort").asText() + " in " + p.where()).isPositive();
        }
      }
    }
    for (Doc st : DeployFiles.ofKind(docs, "StatefulSet")) {
      soft.assertThat(DeployFiles.find(docs, "Service", st.node().path("spec").path("serviceName").asText()))
          .as(st.where() + ": serviceName").isPresent();
    }
    for (Doc w : docs) {
      if (DeployFiles.WORKLOAD_KINDS.contains(w.kind())) {
        JsonNode match = w.node().path("spec").path("selector").path("matchLabels");
        match.fields().forEachRemaining(e -> soft.assertThat(
                w.node().path("spec").path("template").path("metadata").path("labels").path(e.getKey()).asText())
            .as(w.where() + ": selector matches its own template").isEqualTo(e.getValue().asText()));
      }
    }
    for (Doc b : DeployFiles.ofKind(docs, "RoleBinding")) {
      soft.assertThat(DeployFiles.find(docs, b.node().path("roleRef").path("kind").asText(),
          b.node().path("roleRef").path("name").asText())).as(b.where() + ": roleRef").isPresent();
      for (JsonNode subject : b.node().path("subjects")) {
        soft.assertThat(DeployFiles.find(docs, subject.path("kind").asText(), subject.path("name").asText()))
            .as(b.where() + ": subject").isPresent();
      }
    }
    for (Doc r : DeployFiles.ofKind(docs, "Rollout")) {
      for (JsonNode step : r.node().path("spec").path("strategy").path("canary").path("steps")) {
        for (JsonNode t : step.path("analysis").path("templates")) {
          soft.assertThat(DeployFiles.find(docs, "AnalysisTemplate", t.path("templateName").asText()))
              .as(r.where() + ": analysis template").isPresent();
        }
      }
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------- the tap

  @Test
  void tapContainerArgumentsParseWithTheRealTapCommand() {
    Pod pod = tapPod();
    JsonNode tap = tapContainer(pod);
    String podName = pod.doc().name() + "-5d8f7c9b6d-x2kqz";
    ParseResult parsed = parse(DeployFiles.resolvedArgs(tap, podName));
    ParseResult sub = parsed.subcommand();
    assertThat(sub.commandSpec().name()).isEqualTo("tap");

    // every option given parsed, none twice, no positional leftovers
    assertThat(sub.unmatched()).isEmpty();
    String tapId = option(DeployFiles.resolvedArgs(tap, podName), "--tap-id").orElse(null);
    assertThat(tapId).as("--tap-id from the pod's name (downward API)").isEqualTo(podName);
    String tapIdVariable = variable(option(argsOf(tap), "--tap-id").orElse(""));
    assertThat(env(tap, tapIdVariable).path("valueFrom").path("fieldRef").path("fieldPath").asText())
        .as("--tap-id's $(" + tapIdVariable + ") is the downward API's metadata.name").isEqualTo("metadata.name");
    assertThat(sub.hasMatchedOption("--tap-id")).isTrue();
    assertThat((Object) sub.matchedOptionValue("--tap-id", null)).hasToString(podName);

    String listen = sub.matchedOptionValue("--listen", "");
    String admin = sub.matchedOptionValue("--admin", "");
    assertThat(listen).as("--listen on every interface (the Service reaches the pod IP)").startsWith("0.0.0.0:");
    assertThat(admin).as("--admin on every interface (probes and Prometheus use the pod IP)").startsWith("0.0.0.0:");
    assertThat(portOf(listen)).as("--listen port = the tap's 'proxy' container port")
        .isEqualTo(port(tap, "proxy").path("containerPort").asInt());
    assertThat(portOf(admin)).as("--admin port = the tap's 'admin' container port")
        .isEqualTo(port(tap, "admin").path("containerPort").asInt());

    // OLD on localhost: another container of the same pod
    URI old = URI.create(sub.matchedOptionValue("--old", ""));
    assertThat(old.getHost()).as("--old is OLD in the same pod").isIn("127.0.0.1", "localhost");
    List<Integer> siblingPorts = new ArrayList<>();
    pod.containers().stream().filter(c -> c != tap)
        .forEach(c -> c.path("ports").forEach(p -> siblingPorts.add(p.path("containerPort").asInt())));
    assertThat(siblingPorts).as("--old's port is a port of the app container beside the tap").contains(old.getPort());

    // NEW through its Service, whose pods are not tapped (a tap there would compare NEW with NEW)
    URI neu = URI.create(sub.matchedOptionValue("--new", ""));
    String[] host = neu.getHost().split("\\.");
    assertThat(host.length == 1 || host[1].equals(NAMESPACE)).as("--new names a Service of " + NAMESPACE).isTrue();
    Doc newService = DeployFiles.one(docs, "Service", host[0]);
    int newPort = neu.getPort() < 0 ? 80 : neu.getPort();
    assertThat(newService.node().path("spec").path("ports").findValuesAsText("port")).contains(String.valueOf(newPort));
    List<Pod> newPods = DeployFiles.selected(pods, NAMESPACE, newService.node().path("spec").path("selector"));
    assertThat(newPods).as("--new's Service selects NEW's pods").isNotEmpty()
        .allMatch(p -> p.doc() != pod.doc(), "not the tapped pods")
        .allMatch(p -> p.containers().stream().noneMatch(c -> argsOf(c).contains("tap")), "no tap in NEW's pods");
    for (Doc r : DeployFiles.ofKind(docs, "Rollout")) {
      if (newPods.stream().anyMatch(p -> p.doc() == r)) {
        assertThat(r.node().path("spec").path("strategy").path("canary").path("canaryService").asText())
            .as("NEW's Rollout points the taps' --new Service at the version being proven").isEqualTo(host[0]);
      }
    }

    // clients reach the tap, never the app
    Doc clients = DeployFiles.ofKind(docs, "Service").stream()
        .filter(s -> DeployFiles.selected(pods, NAMESPACE, s.node().path("spec").path("selector")).contains(pod))
        .findFirst().orElseThrow(() -> new AssertionError("no Service selects the tapped pods"));
    for (JsonNode p : clients.node().path("spec").path("ports")) {
      assertThat(portNumber(p.path("targetPort"), List.of(tap))).as(clients.where() + " targets the tap's --listen port")
          .isEqualTo(portOf(listen));
    }

    // the admin token: an admin on 0.0.0.0 without one would refuse to start
    assertThat(env(tap, "PARITY_ADMIN_TOKEN").path("valueFrom").path("secretKeyRef").isMissingNode())
        .as("PARITY_ADMIN_TOKEN from a Secret").isFalse();
    assertThat(sub.hasMatchedOption("--admin-insecure")).isFalse();
  }

  @Test
  void configMapParityYamlLoadsWithTheRealConfigLoader_andTheTapWouldStartWithIt() {
    Pod pod = tapPod();
    JsonNode tap = tapContainer(pod);
    String yaml = configFile(pod, tap, option(argsOf(tap), "--config").orElseThrow());
    ConfigFile file = ConfigLoader.parseFile(yaml, "deploy ConfigMap parity.yaml");
    file.engine();
    List<String> args = DeployFiles.resolvedArgs(tap, "pod-0");
    // as TapCommand does: flags over the file, the token from the environment when the file has none
    TapConfig config = file.tap().override().listen(option(args, "--listen").orElse(null))
        .admin(option(args, "--admin").orElse(null)).old(option(args, "--old").orElse(null))
        .neu(option(args, "--new").orElse(null)).storeFile(option(args, "--store").orElse(null))
        .adminToken(file.tap().adminToken() == null ? adminToken(tap) : null).apply();
    assertThat(config.adminExposure()).as("the tap would refuse its admin address").isNull();
    assertThat(config.old()).isNotNull();
    assertThat(config.neu()).isNotNull();
  }

  @Test
  void probesAndTheScrapePathAreTheRealAdminRoutes_onTheAdminPort() throws Exception {
    Pod pod = tapPod();
    JsonNode tap = tapContainer(pod);
    int adminPort = portOf(option(DeployFiles.resolvedArgs(tap, "pod-0"), "--admin").orElseThrow());
    List<String> probePaths = new ArrayList<>();
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      JsonNode http = tap.path(probe).path("httpGet");
      if (probe.equals("startupProbe") && tap.path(probe).isMissingNode()) {
        continue;
      }
      assertThat(http.isMissingNode()).as(probe + " of the tap is an httpGet").isFalse();
      assertThat(portNumber(http.path("port"), List.of(tap))).as(probe + " port = --admin port").isEqualTo(adminPort);
      probePaths.add(http.path("path").asText());
    }
    String token = adminToken(tap);
    String scrapePath = scrapePath();

    // a real tap with the ConfigMap's config and the Secret's token: the probes get 200 without a token
    // (kubelet sends none), the scrape path gets Prometheus text with it and 401 without
    ConfigFile file = ConfigLoader.parseFile(configFile(pod, tap, option(argsOf(tap), "--config").orElseThrow()), "deploy");
    TapConfig config = file.tap().override().listen("127.0.0.1:0").admin("127.0.0.1:0").old("http://127.0.0.1:9")
        .neu("http://127.0.0.1:9").storeFile("none").adminToken(token).apply();
    Vertx vertx = Tap.newVertx(file.engine());
    try {
      Tap running = Tap.start(vertx, file.engine(), config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + running.adminPort();
        for (String path : probePaths) {
          HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(res.statusCode()).as("probe GET " + path + " without a token: " + res.body()).isEqualTo(200);
        }
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + scrapePath))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("GET " + scrapePath + " without the token").isEqualTo(401);
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create(base + scrapePath))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as("GET " + scrapePath + " with the token").isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(scrape.body()).contains("parity_client_connections_max");
      } finally {
        running.shutdown(2000).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void tapMemoryHoldsTheImagesHeap_andRequestEqualsLimit() {
    JsonNode tap = tapContainer(tapPod());
    String opts = env(tap, "PARITY_JAVA_OPTS").path("value").asText(dockerEnv().get("PARITY_JAVA_OPTS"));
    long heap = maxHeap(opts);
    assertThat(heap).as("the tap runs with a fixed heap: " + opts).isPositive();
    JsonNode resources = tap.path("resources");
    long limit = bytes(resources.path("limits").path("memory").asText("0"));
    assertThat(limit).as("tap memory limit >= heap " + (heap >> 20) + " MiB + " + (TAP_NON_HEAP >> 20) + " MiB")
        .isGreaterThanOrEqualTo(heap + TAP_NON_HEAP);
    assertThat(bytes(resources.path("requests").path("memory").asText("0"))).as("tap memory request = limit")
        .isEqualTo(limit);
    assertThat(resources.path("requests").path("cpu").asText()).as("tap CPU request").isNotBlank();
  }

  // ---------------------------------------------------------------------------------------------- store and gate

  @Test
  void everyStoreIsTheExamplesOnePostgresql_withThePasswordFromItsSecret() {
    JsonNode tap = tapContainer(tapPod());
    String store = option(argsOf(tap), "--store").orElseThrow(() -> new AssertionError("the tap has no --store"));
    URI uri = URI.create(store);
    assertThat(uri.getScheme()).isEqualTo("postgresql");
    assertThat(uri.getUserInfo()).as("the user only: the password comes from PGPASSWORD").doesNotContain(":");

    Doc service = DeployFiles.one(docs, "Service", uri.getHost());
    List<Pod> db = DeployFiles.selected(pods, NAMESPACE, service.node().path("spec").path("selector"));
    assertThat(db).as("the store's host is the Service of the PostgreSQL StatefulSet").hasSize(1)
        .allMatch(p -> p.doc().kind().equals("StatefulSet"));
    JsonNode servicePort = null;
    for (JsonNode p : service.node().path("spec").path("ports")) {
      if (p.path("port").asInt() == uri.getPort()) {
        servicePort = p;
      }
    }
    assertThat(servicePort).as("the Service has the store's port " + uri.getPort()).isNotNull();
    assertThat(portNumber(servicePort.path("targetPort"), db.get(0).containers())).isEqualTo(5432);
    JsonNode postgres = db.get(0).containers().get(0);
    assertThat(env(postgres, "POSTGRES_USER").path("value").asText()).isEqualTo(uri.getUserInfo());
    assertThat(env(postgres, "POSTGRES_DB").path("value").asText()).isEqualTo(uri.getPath().substring(1));
    JsonNode password = env(postgres, "POSTGRES_PASSWORD").path("valueFrom").path("secretKeyRef");
    assertThat(password.isMissingNode()).as("POSTGRES_PASSWORD from a Secret").isFalse();

    List<JsonNode> users = new ArrayList<>(List.of(tap));
    jobPods().forEach(p -> users.addAll(p.containers()));
    for (JsonNode c : users) {
      assertThat(option(argsOf(c), "--store")).as(c.path("name").asText() + ": the same --store").contains(store);
      assertThat(env(c, "PGPASSWORD").path("valueFrom").path("secretKeyRef"))
          .as(c.path("name").asText() + ": PGPASSWORD from the database's Secret").isEqualTo(password);
    }
  }

  @Test
  void rolloutResetsThenGates_withJobsThatRunTheRealCommandsOfTheTapsImage() {
    JsonNode tap = tapContainer(tapPod());
    List<String> templates = new ArrayList<>();
    for (Doc r : DeployFiles.ofKind(docs, "Rollout")) {
      for (JsonNode step : r.node().path("spec").path("strategy").path("canary").path("steps")) {
        step.path("analysis").path("templates").forEach(t -> templates.add(t.path("templateName").asText()));
      }
    }
    assertThat(templates).as("NEW's Rollout: reset the evidence, then the gate").containsExactly("parity-reset", "parity-gate");

    Map<String, String> command = Map.of("parity-reset", "report", "parity-gate", "gate");
    for (Pod job : jobPods()) {
      assertThat(job.spec().path("restartPolicy").asText()).isEqualTo("Never");
      JsonNode c = job.containers().get(0);
      String expected = command.get(job.doc().name());
      assertThat(expected).as(job.where() + ": a known template").isNotNull();
      assertThat(c.path("image").asText()).as(job.where(c) + ": the tap's image").isEqualTo(tap.path("image").asText());
      ParseResult sub = parse(DeployFiles.resolvedArgs(c, "job-0")).subcommand();
      assertThat(sub.commandSpec().name()).isEqualTo(expected);
      assertThat(sub.unmatched()).isEmpty();
      if (expected.equals("report")) {
        assertThat(sub.hasMatchedOption("--reset")).as(job.where(c) + ": --reset").isTrue();
      } else {
        List<String> endpoints = sub.matchedOptionValue("--endpoint", List.of());
        assertThat(endpoints).as(job.where(c) + ": the endpoints that matter").isNotEmpty()
            .allMatch(e -> e.matches("[A-Z]+ /\\S*"), "METHOD /path");
        String config = option(argsOf(c), "--config").orElseThrow();
        assertThat(configFile(job, c, config)).as(job.where(c) + ": the taps' own verdict rule")
            .isEqualTo(configFile(tapPod(), tap, option(argsOf(tap), "--config").orElseThrow()));
      }
      // the launcher's JVM options for the command, and a memory limit that holds them
      String opts = env(c, "PARITY_JAVA_OPTS").path("value").asText(null);
      assertThat(opts).as(job.where(c) + ": PARITY_JAVA_OPTS, replacing the image's tap options")
          .isEqualTo(DeployFiles.launcherOptions(expected));
      long limit = bytes(c.path("resources").path("limits").path("memory").asText("0"));
      assertThat(limit).as(job.where(c) + ": memory limit").isPositive();
      if (maxHeap(opts) > 0) {
        assertThat(limit).isGreaterThanOrEqualTo(maxHeap(opts) + JOB_NON_HEAP);
      }
    }
    assertThat(jobPods()).extracting(p -> p.doc().name()).containsExactlyInAnyOrder("parity-reset", "parity-gate");
  }

  // ---------------------------------------------------------------------------------------------- Prometheus

  @Test
  void prometheusScrapesEveryTapsAdminPortWithTheToken_asTheDashboardsJob(@TempDir Path tmp) throws Exception {
    Pod tapPod = tapPod();
    JsonNode tap = tapContainer(tapPod);
    JsonNode adminPort = port(tap, "admin");
    JsonNode tokenRef = env(tap, "PARITY_ADMIN_TOKEN").path("valueFrom").path("secretKeyRef");
    JsonNode job = scrapeJob();

    String dashboardsJob = DeployFiles.YAML.readTree(DeployFiles.read(DeployFiles.DASHBOARD_SCRAPE_CONFIG))
        .path("scrape_configs").get(0).path("job_name").asText();
    assertThat(job.path("job_name").asText()).as("the job of dashboards/prometheus.yml, which the dashboard and alerts use")
        .isEqualTo(dashboardsJob);
    JsonNode sd = job.path("kubernetes_sd_configs").get(0);
    assertThat(sd.path("role").asText()).isEqualTo("pod");
    assertThat(textList(sd.path("namespaces").path("names"))).as("discovery in the example's namespace").contains(NAMESPACE);

    // keep: the scrape annotation, and the admin port only
    String scrape = keepRegex(job, "__meta_kubernetes_pod_annotation_prometheus_io_scrape");
    assertThat(tapPod.annotations().path("prometheus.io/scrape").asText()).matches(scrape);
    String portName = keepRegex(job, "__meta_kubernetes_pod_container_port_name");
    for (JsonNode c : tapPod.containers()) {
      for (JsonNode p : c.path("ports")) {
        assertThat(p.path("name").asText().matches(portName)).as("scraped port " + c.path("name").asText() + "/"
            + p.path("name").asText()).isEqualTo(c == tap && p == adminPort);
      }
    }
    assertThat(tapPod.annotations().path("prometheus.io/port").asText()).as("prometheus.io/port for other recipes")
        .isEqualTo(adminPort.path("containerPort").asText());

    // the token: the scrape's credentials file is the token Secret's key, mounted into Prometheus
    assertThat(job.path("authorization").path("type").asText("Bearer")).isEqualTo("Bearer");
    Path credentials = Path.of(job.path("authorization").path("credentials_file").asText());
    Pod prometheus = DeployFiles.pods(docs).stream().filter(p -> p.doc().kind().equals("Deployment")
        && p.doc().name().equals("prometheus")).findFirst().orElseThrow();
    JsonNode server = prometheus.containers().get(0);
    boolean mounted = false;
    for (JsonNode m : server.path("volumeMounts")) {
      if (credentials.getParent().equals(Path.of(m.path("mountPath").asText()))) {
        for (JsonNode v : prometheus.spec().path("volumes")) {
          if (v.path("name").asText().equals(m.path("name").asText())
              && v.path("secret").path("secretName").asText().equals(tokenRef.path("name").asText())
              && credentials.getFileName().toString().equals(tokenRef.path("key").asText())) {
            mounted = true;
          }
        }
      }
    }
    assertThat(mounted).as(credentials + " is the tap token Secret's key, mounted into Prometheus").isTrue();
    String configFlag = textList(server.path("args")).stream().filter(a -> a.startsWith("--config.file="))
        .findFirst().orElseThrow();
    assertThat(configFlag).endsWith("/prometheus.yml");

    // promtool; Debian's is built without Kubernetes discovery, so the check runs on a copy with a static target
    ObjectNode copy = (ObjectNode) prometheusConfig().deepCopy();
    for (JsonNode j : copy.path("scrape_configs")) {
      ObjectNode o = (ObjectNode) j;
      o.remove("kubernetes_sd_configs");
      ArrayNode statics = o.putArray("static_configs");
      statics.addObject().putArray("targets").add("127.0.0.1:" + adminPort.path("containerPort").asInt());
    }
    Path file = tmp.resolve("prometheus.yml");
    Files.writeString(file, DeployFiles.YAML.writeValueAsString(copy));
    Process p = new ProcessBuilder(executable("promtool").toString(), "check", "config", "--syntax-only", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check config:\n" + out).isZero();

    // the Prometheus Operator alternative
    Doc monitor = DeployFiles.one(docs, "PodMonitor", "parity-tap");
    assertThat(DeployFiles.selected(pods, NAMESPACE, monitor.node().path("spec").path("selector").path("matchLabels")))
        .containsExactly(tapPod);
    JsonNode endpoint = monitor.node().path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo(adminPort.path("name").asText());
    assertThat(endpoint.path("path").asText()).isEqualTo(scrapePath());
    assertThat(endpoint.path("authorization").path("credentials")).isEqualTo(tokenRef);
    for (JsonNode r : endpoint.path("relabelings")) {
      if (r.path("targetLabel").asText().equals("job")) {
        assertThat(r.path("replacement").asText()).isEqualTo(dashboardsJob);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- Dockerfile

  @Test
  void dockerfileRunsTheJarWithTheLaunchersTapOptions_asANonRootUser() throws Exception {
    List<Instruction> all = DeployFiles.dockerfile();
    int last = all.get(all.size() - 1).stage();
    assertThat(last).as("multi-stage: a build stage, then the runtime").isPositive();
    List<Instruction> runtime = all.stream().filter(i -> i.stage() == last).toList();
    assertThat(runtime.get(0).args()).as("runtime base").startsWith("eclipse-temurin:17-jre");
    assertThat(dockerEnv().get("PARITY_JAVA_OPTS")).as("the image's JVM options = ./parity's for tap")
        .isEqualTo(DeployFiles.launcherOptions("tap"));

    List<String> entrypoint = textList(DeployFiles.JSON.readTree(instruction(runtime, "ENTRYPOINT").args()));
    // the launcher's class data sharing options, with the image's archive
    String launcher = DeployFiles.read(DeployFiles.LAUNCHER);
    assertThat(launcher).as("the launcher maps its archive").contains("cds_opts=\"-XX:SharedArchiveFile=$jsa\"")
        .contains("exec java $jvm_out $cds_opts ${PARITY_JAVA_OPTS:-$default_opts} -jar");
    Matcher out = Pattern.compile("(?m)^jvm_out=\"([^\"]*)\"").matcher(launcher);
    assertThat(out.find()).as("the launcher's JVM output options: jvm_out=\"...\"").isTrue();
    assertThat(entrypoint).as("exec form: sh runs java as PID 1 with the launcher's output options, the archive, "
        + "PARITY_JAVA_OPTS and the arguments")
        .containsExactly("/bin/sh", "-c", "exec java " + out.group(1)
            + " -XX:SharedArchiveFile=/app/parity.jsa $PARITY_JAVA_OPTS -jar /app/parity.jar \"$@\"", "parity");
    // the archive is written in the runtime stage (by the java that maps it), after the jar it archives, by the
    // launcher's own training run
    int copyJar = -1;
    int writeArchive = -1;
    for (int i = 0; i < runtime.size(); i++) {
      String line = runtime.get(i).keyword() + " " + runtime.get(i).args();
      if (line.startsWith("COPY ") && line.endsWith(" /app/parity.jar")) {
        copyJar = i;
      } else if (line.startsWith("RUN ") && line.contains("-XX:ArchiveClassesAtExit=/app/parity.jsa")) {
        writeArchive = i;
      }
    }
    assertThat(writeArchive).as("a RUN writing /app/parity.jsa after the jar is copied").isGreaterThan(copyJar)
        .isGreaterThan(-1);
    Matcher training = Pattern.compile("-XX:ArchiveClassesAtExit=\"\\$tmp\" (.*) -jar \"\\$jar\" (demo [^>]*?) *>")
        .matcher(launcher.replaceAll("\\\\\n\\s*", ""));
    assertThat(training.find()).as("the launcher's training run").isTrue();
    assertThat(runtime.get(writeArchive).args().replaceAll("\\s+", " ")).as("the image's training run = the launcher's")
        .contains("-XX:ArchiveClassesAtExit=/app/parity.jsa " + training.group(1) + " -jar /app/parity.jar "
            + training.group(2));
    String build = all.get(0).args().replaceAll("(?i).*\\sAS\\s+", "");
    assertThat(runtime).anySatisfy(i -> assertThat(i.keyword() + " " + i.args())
        .matches("COPY --from=" + Pattern.quote(build) + " \\S*cli/target/parity\\.jar /app/parity\\.jar"));

    String user = instruction(runtime, "USER").args();
    assertThat(user).as("USER: numeric (runAsNonRoot can check it) and not root").matches("\\d+(:\\d+)?");
    assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    JsonNode tap = tapContainer(tapPod());
    assertThat(tap.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();

    Set<String> exposed = new HashSet<>();
    runtime.stream().filter(i -> i.keyword().equals("EXPOSE"))
        .forEach(i -> exposed.addAll(List.of(i.args().replace("/tcp", "").split("\\s+"))));
    for (String name : List.of("proxy", "admin")) {
      assertThat(exposed).as("EXPOSE the tap's " + name + " port").contains(port(tap, name).path("containerPort").asText());
    }
  }

  @Test
  void dockerBuildStageCopiesEveryModuleTheMavenBuildReads() {
    List<Instruction> build = DeployFiles.dockerfile().stream().filter(i -> i.stage() == 0).toList();
    assertThat(build.get(0).args()).as("build stage: Maven on Java 17").contains("maven").contains("17");
    List<String> copied = new ArrayList<>();
    for (Instruction i : build) {
      if (i.keyword().equals("COPY")) {
        List<String> parts = new ArrayList<>(List.of(i.args().split("\\s+")));
        parts.removeIf(s -> s.startsWith("--"));
        copied.addAll(parts.subList(0, parts.size() - 1));
      }
    }
    List<String> sources = copied.stream().map(s -> s.replaceAll("/+$", "")).toList();
    String ignore = DeployFiles.read(DeployFiles.DOCKERIGNORE);
    for (String s : sources) {
      assertThat(Files.exists(DeployFiles.ROOT.resolve(s))).as("COPY " + s + " exists").isTrue();
      assertThat(ignore).as(".dockerignore lets " + s + " into the context").containsPattern(
          "(?m)^!" + Pattern.quote(s) + "/?$");
    }
    Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(DeployFiles.read(DeployFiles.ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String m = modules.group(1).trim();
      assertThat(sources).as("module " + m + " of the root pom (Maven reads every module's pom)")
          .containsAnyOf(m, m + "/pom.xml");
    }
    Matcher resources = Pattern.compile("\\$\\{project\\.basedir}/\\.\\./([^<]+)</directory>")
        .matcher(DeployFiles.read(DeployFiles.ROOT.resolve("cli/pom.xml")));
    while (resources.find()) {
      assertThat(sources).as("cli's resources from " + resources.group(1)).contains(resources.group(1).replaceAll("/+$", ""));
    }
    String run = instruction(build, "RUN").args();
    assertThat(run).contains("mvn").contains("-pl cli -am package");
    assertThat(DeployFiles.read(DeployFiles.LAUNCHER)).as("the launcher builds the same jar").contains("-pl cli -am package");
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** The one pod template with a container that runs {@code parity tap}. */
  private Pod tapPod() {
    List<Pod> tapped = pods.stream().filter(p -> DeployFiles.WORKLOAD_KINDS.contains(p.doc().kind()))
        .filter(p -> p.containers().stream().anyMatch(c -> !argsOf(c).isEmpty() && argsOf(c).get(0).equals("tap")))
        .toList();
    assertThat(tapped).as("workloads running 'parity tap'").hasSize(1);
    return tapped.get(0);
  }

  private static JsonNode tapContainer(Pod pod) {
    return pod.containers().stream().filter(c -> !argsOf(c).isEmpty() && argsOf(c).get(0).equals("tap")).findFirst()
        .orElseThrow();
  }

  private List<Pod> jobPods() {
    return pods.stream().filter(p -> p.doc().kind().equals("AnalysisTemplate")).toList();
  }

  private static List<String> argsOf(JsonNode container) {
    return textList(container.path("args"));
  }

  private static List<String> textList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String variable(String value) {
    Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    return m.find() ? m.group(1) : "";
  }

  private static int portOf(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  /** Parses {@code args} with the real {@code parity} command line. */
  private static ParseResult parse(List<String> args) {
    String[] a = args.toArray(String[]::new);
    return ParityMain.commandLine(a).parseArgs(a);
  }

  /** The YAML text a container's {@code --config} path reads: the key of the ConfigMap mounted at its folder. */
  private String configFile(Pod pod, JsonNode container, String path) {
    Path file = Path.of(path);
    for (JsonNode m : container.path("volumeMounts")) {
      if (file.getParent().equals(Path.of(m.path("mountPath").asText()))) {
        for (JsonNode v : pod.spec().path("volumes")) {
          if (v.path("name").asText().equals(m.path("name").asText()) && v.has("configMap")) {
            Doc cm = DeployFiles.one(docs, "ConfigMap", v.path("configMap").path("name").asText());
            JsonNode text = cm.node().path("data").path(file.getFileName().toString());
            assertThat(text.isTextual()).as(cm.where() + " has the key " + file.getFileName()).isTrue();
            return text.asText();
          }
        }
      }
    }
    throw new AssertionError(pod.where(container) + ": --config " + path + " is not in a mounted ConfigMap");
  }

  private Optional<String> secretValue(JsonNode secretKeyRef) {
    return DeployFiles.find(docs, "Secret", secretKeyRef.path("name").asText()).flatMap(s -> {
      String key = secretKeyRef.path("key").asText();
      JsonNode plain = s.node().path("stringData").path(key);
      if (plain.isTextual()) {
        return Optional.of(plain.asText());
      }
      JsonNode encoded = s.node().path("data").path(key);
      return encoded.isTextual()
          ? Optional.of(new String(Base64.getDecoder().decode(encoded.asText()), StandardCharsets.UTF_8))
          : Optional.empty();
    });
  }

  private String adminToken(JsonNode tap) {
    return secretValue(env(tap, "PARITY_ADMIN_TOKEN").path("valueFrom").path("secretKeyRef"))
        .orElseThrow(() -> new AssertionError("the tap's PARITY_ADMIN_TOKEN is not in a Secret of deploy/"));
  }

  private JsonNode prometheusConfig() {
    String text = DeployFiles.one(docs, "ConfigMap", "prometheus").node().path("data").path("prometheus.yml").asText();
    try {
      return DeployFiles.YAML.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("the prometheus ConfigMap's prometheus.yml: " + e.getMessage(), e);
    }
  }

  private JsonNode scrapeJob() {
    for (JsonNode j : prometheusConfig().path("scrape_configs")) {
      if (j.has("kubernetes_sd_configs")) {
        return j;
      }
    }
    throw new AssertionError("prometheus.yml has no scrape job with kubernetes_sd_configs");
  }

  /** The regex of the scrape job's {@code keep} rule on one source label. */
  private String keepRegex(JsonNode job, String label) {
    for (JsonNode r : job.path("relabel_configs")) {
      if (r.path("action").asText().equals("keep") && textList(r.path("source_labels")).equals(List.of(label))) {
        return r.path("regex").asText("(.*)");
      }
    }
    throw new AssertionError("the scrape job has no 'keep' rule on " + label);
  }

  /** The path Prometheus scrapes on the tap: from the pod's prometheus.io/path when the job maps it, else its metrics_path. */
  private String scrapePath() {
    JsonNode job = scrapeJob();
    for (JsonNode r : job.path("relabel_configs")) {
      if (r.path("target_label").asText().equals("__metrics_path__")
          && textList(r.path("source_labels")).equals(List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"))) {
        String annotated = tapPod().annotations().path("prometheus.io/path").asText();
        assertThat(annotated).as("prometheus.io/path").matches(r.path("regex").asText("(.*)"));
        return annotated;
      }
    }
    return job.path("metrics_path").asText("/metrics");
  }

  private static Map<String, String> dockerEnv() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    List<Instruction> all = DeployFiles.dockerfile();
    int last = all.get(all.size() - 1).stage();
    all.stream().filter(i -> i.stage() == last && i.keyword().equals("ENV"))
        .forEach(i -> env.putAll(DeployFiles.envPairs(i.args())));
    return env;
  }

  private static Instruction instruction(List<Instruction> stage, String keyword) {
    List<Instruction> found = stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
    assertThat(found).as("one " + keyword + " in the stage").hasSize(1);
    return found.get(0);
  }

  private static Path executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not on PATH: install Debian's prometheus package (.ci/run does)");
  }
}
