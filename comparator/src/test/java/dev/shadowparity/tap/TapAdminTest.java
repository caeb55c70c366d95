package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapAdminTest {

  private final TapHarness h = new TapHarness();
  private final ObjectMapper json = new ObjectMapper();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  private TapHarness backends() {
    return h.old(req -> {
      switch (req.path()) {
        case "/api/users/7" -> req.response().putHeader("Content-Type", "application/json")
            .putHeader("Set-Cookie", "sid=old-secret; Path=/").end("{\"id\":7,\"score\":937}");
        default -> req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
      }
    }).neu(req -> {
      switch (req.path()) {
        case "/api/users/7" -> req.response().putHeader("Content-Type", "application/json")
            .putHeader("Set-Cookie", "sid=new-secret; Path=/").end("{\"id\":7,\"score\":937.5}");
        default -> req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
      }
    });
  }

  private void traffic() throws Exception {
    for (int i = 0; i < 3; i++) {
      h.send(HttpRequest.newBuilder(h.proxy("/api/users/7")).header("Authorization", "Bearer client-token-123").build());
      h.get("/api/health-check");
    }
    h.awaitEndpoint("GET /api/users/{id}", e -> e.compared() == 3);
    h.awaitEndpoint("GET /api/health-check", e -> e.compared() == 3);
  }

  @Test
  void healthReportSamplesReset() throws Exception {
    backends().tap("");
    traffic();
    HttpResponse<String> health = h.adminGet("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("UP");

    JsonNode report = json.readTree(h.adminGet("/api/report").body());
    assertThat(report.at("/totals/compared").asLong()).isEqualTo(6);
    assertThat(report.at("/totals/mismatched").asLong()).isEqualTo(3);
    JsonNode first = report.get("endpoints").get(0);
    assertThat(first.get("endpoint").asText()).isEqualTo("GET /api/users/{id}");
    assertThat(first.at("/fields/0/field").asText()).isEqualTo("/score");

    String enc = URLEncoder.encode("GET /api/users/{id}", StandardCharsets.UTF_8).replace("+", "%20");
    HttpResponse<String> samples = h.adminGet("/api/endpoints/" + enc + "/samples");
    assertThat(samples.statusCode()).isEqualTo(200);
    JsonNode s = json.readTree(samples.body());
    assertThat(s.size()).isBetween(1, 3);
    assertThat(s.at("/0/differences/0/old").asText()).isEqualTo("937");
    assertThat(samples.body()).doesNotContain("client-token-123").doesNotContain("old-secret").doesNotContain("new-secret");

    assertThat(h.adminGet("/api/endpoints/" + URLEncoder.encode("GET /nope", StandardCharsets.UTF_8) + "/samples").statusCode()).isEqualTo(404);

    HttpResponse<String> reset = h.client.send(HttpRequest.newBuilder(h.admin("/api/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(json.readTree(h.adminGet("/api/report").body()).get("endpoints").size()).isZero();
    assertThat(h.client.send(HttpRequest.newBuilder(h.admin("/api/reset")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(405);
  }

  @Test
  void metricsInPrometheusFormat_withBoundedTags() throws Exception {
    backends().tap("");
    traffic();
    String metrics = h.adminGet("/metrics").body();
    assertThat(metrics).contains("parity_exchanges_total{endpoint=\"GET /api/users/{id}\",outcome=\"mismatch\"} 3.0");
    assertThat(metrics).contains("parity_exchanges_total{endpoint=\"GET /api/health-check\",outcome=\"match\"} 3.0");
    assertThat(metrics).contains("parity_mismatch_fields_total{endpoint=\"GET /api/users/{id}\",field=\"/score\"} 3.0");
    assertThat(metrics).containsPattern("parity_backend_latency_seconds_bucket\\{backend=\"old\",endpoint=\"GET /api/users/\\{id\\}\",le=\"0\\.1\"\\} 3");
    assertThat(metrics).contains("parity_shadow_in_flight").contains("parity_compare_queue").contains("parity_compare_active");
    assertThat(metrics).doesNotContain("/api/users/7");
  }

  @Test
  void everyMeter_keepsCounting_afterTheGarbageCollectorRan() throws Exception {
    // Micrometer's function meters hold the object they read weakly: a counter bound to an object nobody else keeps (a
    // method reference, say) stops at the last value read once that object is collected, and a gauge reads NaN
    backends().tap("");
    traffic();
    h.get("/api/health-check");
    h.awaitEndpoint("GET /api/health-check", e -> e.compared() == 4);
    refuseOne();
    String before = h.adminGet("/metrics").body(); // read once, as Prometheus would have
    java.lang.ref.WeakReference<Object> collected = new java.lang.ref.WeakReference<>(new Object());
    TapHarness.eventually(() -> {
      System.gc();
      return collected.get() == null;
    }, "a collection ran");
    refuseOne();
    h.get("/api/health-check");
    h.awaitEndpoint("GET /api/health-check", e -> e.compared() == 5);
    String after = h.adminGet("/metrics").body();

    assertThat(after.lines().filter(l -> !l.startsWith("#") && l.endsWith("NaN")).toList()).isEmpty();
    String refused = "parity_refused_requests_total{reason=\"host-malformed\"}";
    assertThat(value(before, refused)).isEqualTo(1.0);
    assertThat(value(after, refused)).isEqualTo(2.0);
    assertThat(clientRequests(after)).as("client requests, all protocols").isEqualTo(clientRequests(before) + 2);
    assertThat(value(after, "parity_exchanges_total{endpoint=\"GET /api/health-check\",outcome=\"match\"}")).isEqualTo(5.0);
  }

  private void refuseOne() throws Exception {
    assertThat(h.raw("GET /r HTTP/1.1\r\nHost: a@b\r\n\r\n", 10_000)).startsWith("HTTP/1.1 400 ");
  }

  /** The value of the one sample named {@code series} (name and labels) in a Prometheus text exposition. */
  private static double value(String metrics, String series) {
    List<String> lines = metrics.lines().filter(l -> l.startsWith(series + " ")).toList();
    assertThat(lines).as(series).hasSize(1);
    return Double.parseDouble(lines.get(0).substring(series.length() + 1).trim());
  }

  private static double clientRequests(String metrics) {
    return metrics.lines().filter(l -> l.startsWith("parity_client_requests_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void adminTokenRequired_exceptForHealth() throws Exception {
    backends().tap("admin-token: s3cret\n");
    assertThat(h.adminGet("/health").statusCode()).isEqualTo(200);
    assertThat(h.adminGet("/api/report").statusCode()).isEqualTo(401);
    assertThat(h.adminGet("/metrics").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = h.client.send(HttpRequest.newBuilder(h.admin("/api/report")).header("Authorization", "Bearer s3cret").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> wrong = h.client.send(HttpRequest.newBuilder(h.admin("/api/report")).header("Authorization", "Bearer nope").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void adminNeverServedOnProxyPort() throws Exception {
    h.old(req -> req.response().end("old says " + req.path())).neu(req -> req.response().end("new")).tap("");
    assertThat(new String(h.get("/api/report").body())).isEqualTo("old says /api/report");
    assertThat(new String(h.get("/metrics").body())).isEqualTo("old says /metrics");
  }

  @Test
  void captureWritesRedactedNdjson_andRotates() throws Exception {
    Path capture = dir.resolve("cap.ndjson");
    backends().tap("capture: {file: " + capture + ", max-bytes: 1500, keep: 2}\n");
    traffic();
    h.tap.shutdown(2000).toCompletionStage().toCompletableFuture().get();
    h.tap = null;
    List<String> lines = new java.util.ArrayList<>();
    for (Path p : List.of(Path.of(capture + ".2"), Path.of(capture + ".1"), capture)) {
      if (Files.exists(p)) {
        lines.addAll(Files.readAllLines(p));
        assertThat(Files.size(p)).isLessThanOrEqualTo(1500 + 1000);
      }
    }
    assertThat(Files.exists(Path.of(capture + ".1"))).as("rotated").isTrue();
    assertThat(Files.exists(Path.of(capture + ".3"))).as("keeps 2").isFalse();
    assertThat(lines.size()).isBetween(3, 6);
    JsonNode line = json.readTree(lines.get(lines.size() - 1));
    assertThat(line.has("ts")).isTrue();
    assertThat(line.at("/request/method").asText()).isEqualTo("GET");
    String all = String.join("\n", lines);
    assertThat(all).doesNotContain("client-token-123").doesNotContain("old-secret").contains("[redacted]");
    JsonNode user = lines.stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(n -> n.at("/request/uri").asText().equals("/api/users/7")).findFirst().orElseThrow();
    assertThat(user.at("/old/status").asInt()).isEqualTo(200);
    assertThat(user.at("/old/body").asText()).isEqualTo("{\"id\":7,\"score\":937}");
    assertThat(user.at("/new/body").asText()).isEqualTo("{\"id\":7,\"score\":937.5}");
    assertThat(user.at("/endpoint").asText()).isEqualTo("GET /api/users/{id}");
  }

  @Test
  void portTaken_failsFastWithMessage() throws Exception {
    backends().tap("");
    String full = "listen: 127.0.0.1:" + h.tap.proxyPort() + "\nadmin: 127.0.0.1:0\nold: " + h.oldUrl() + "\nnew: " + h.newUrl() + "\n";
    Throwable err = h.vertx.<Tap>executeBlocking(() -> null).compose(v -> Tap.start(h.vertx,
            dev.shadowparity.config.ConfigLoader.parse(full, "t"), dev.shadowparity.config.ConfigLoader.parseTap(full, "t")))
        .toCompletionStage().toCompletableFuture().handle((t, e) -> e).get();
    assertThat(err).isNotNull();
    assertThat(err.getMessage()).contains("cannot listen on 127.0.0.1:" + h.tap.proxyPort()).contains("--listen");
  }

  private HttpResponse<String> gate(String query) throws Exception {
    return h.adminGet("/api/gate" + query);
  }

  private static String q(String endpoint) {
    return URLEncoder.encode(endpoint, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void gate_answers200WhenProven_409WhenFailingOrUnprovenOrUnseen_400OnABadParameter() throws Exception {
    backends().tap("");
    traffic();
    // 3 clean exchanges: the confidence sequence's upper bound is under a loose 90% rule
    HttpResponse<String> proven = gate("?endpoint=" + q("GET /api/health-check") + "&max-mismatch-rate=0.9&min-compared=3");
    assertThat(proven.statusCode()).isEqualTo(200);
    assertThat(proven.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode p = json.readTree(proven.body());
    assertThat(p.get("passed").asBoolean()).isTrue();
    assertThat(p.get("proven").asLong()).isEqualTo(1);
    assertThat(p.at("/rule/maxMismatchRate").asDouble()).isEqualTo(0.9);
    assertThat(p.at("/rule/minCompared").asLong()).isEqualTo(3);
    assertThat(p.at("/endpoints/0/verdict").asText()).isEqualTo("PROVEN");
    assertThat(p.at("/endpoints/0/trials").asLong()).isEqualTo(3);
    assertThat(p.at("/endpoints/0/reason").asText()).startsWith("0 of 3 exchanges failed (0.00%); the upper bound");

    HttpResponse<String> failing = gate("?endpoint=" + q("GET /api/users/{id}") + "&endpoint=" + q("GET /api/health-check")
        + "&max-mismatch-rate=0.1&min-compared=3");
    assertThat(failing.statusCode()).isEqualTo(409);
    JsonNode f = json.readTree(failing.body());
    assertThat(f.get("passed").asBoolean()).isFalse();
    assertThat(f.at("/endpoints/0/verdict").asText()).isEqualTo("FAILING");
    assertThat(f.at("/endpoints/0/failures").asLong()).isEqualTo(3);
    assertThat(f.at("/endpoints/0/reason").asText()).contains("3 of 3 exchanges failed").contains("lower bound");
    assertThat(f.at("/endpoints/1/verdict").asText()).isEqualTo("UNPROVEN");
    assertThat(f.get("proven").asLong()).isZero();
    assertThat(f.get("failing").asLong()).isEqualTo(1);
    assertThat(f.get("unproven").asLong()).isEqualTo(1);
    HttpResponse<String> argo = gate("?endpoint=" + q("GET /api/users/{id}") + "&max-mismatch-rate=0.1&min-compared=3&always-200=true");
    assertThat(argo.statusCode()).isEqualTo(200);
    assertThat(json.readTree(argo.body()).get("passed").asBoolean()).isFalse();
    assertThat(json.readTree(argo.body()).get("failing").asLong()).isEqualTo(1);
    assertThat(gate("?always-200=yes").statusCode()).isEqualTo(400);

    // the configured rule (1%) is the default: 3 exchanges prove nothing, and the gate says how many more would
    HttpResponse<String> unproven = gate("?endpoint=" + q("GET /api/health-check"));
    assertThat(unproven.statusCode()).isEqualTo(409);
    JsonNode u = json.readTree(unproven.body());
    long needed = new dev.shadowparity.report.ConfidenceSequence(0.01, 0.95, 30).cleanNeeded(0, 3);
    assertThat(needed).isBetween(500L, 600L);
    assertThat(u.at("/endpoints/0/cleanNeeded").asLong()).isEqualTo(needed);
    assertThat(u.at("/endpoints/0/reason").asText()).startsWith("0 of 3 exchanges failed")
        .endsWith(needed + " more clean exchanges would prove it");
    HttpResponse<String> all = gate("?max-mismatch-rate=0.9&min-compared=3");
    assertThat(json.readTree(all.body()).get("endpoints")).hasSize(2);
    assertThat(all.statusCode()).isEqualTo(409);

    HttpResponse<String> unseen = gate("?endpoint=" + q("GET /api/never"));
    assertThat(unseen.statusCode()).isEqualTo(409);
    assertThat(json.readTree(unseen.body()).at("/endpoints/0/reason").asText()).startsWith("no evidence");

    // Flagger's webhooks POST a JSON body, which the gate ignores
    HttpResponse<String> post = h.client.send(HttpRequest.newBuilder(h.admin("/api/gate?endpoint=" + q("GET /api/health-check")
        + "&max-mismatch-rate=0.9&min-compared=3")).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"podinfo\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);

    for (String bad : List.of("?confidence=abc", "?confidence=1.5", "?max-mismatch-rate=-1", "?min-compared=2.5")) {
      HttpResponse<String> r = gate(bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      String param = bad.substring(1, bad.indexOf('='));
      assertThat(json.readTree(r.body()).get("error").asText()).as(bad).startsWith(param + ": ");
    }
  }

  @Test
  void periodsAndTrend_andResetStartsANewPeriodKeepingTheOld() throws Exception {
    Path db = dir.resolve("parity.db");
    backends().tap("store: {file: " + db + ", flush: 1h}\n"); // flushed by the test only
    traffic();
    JsonNode periods = json.readTree(h.adminGet("/api/periods").body());
    long first = periods.get("current").asLong();
    assertThat(periods.get("periods")).hasSize(1);
    assertThat(periods.at("/periods/0/id").asLong()).isEqualTo(first);
    assertThat(periods.at("/periods/0/endedAt").isMissingNode() || periods.at("/periods/0/endedAt").isNull()).isTrue();

    h.tap.store().flushNow(); // the first flush writes a trend point per endpoint
    JsonNode trend = json.readTree(h.adminGet("/api/trend").body());
    assertThat(trend.get("intervalSeconds").asLong()).isEqualTo(10);
    JsonNode users = trend.at("/endpoints/GET ~1api~1users~1{id}");
    assertThat(users).hasSize(1);
    assertThat(users.at("/0/trials").asLong()).isEqualTo(3);
    assertThat(users.at("/0/failures").asLong()).isEqualTo(3);

    HttpResponse<String> reset = h.client.send(HttpRequest.newBuilder(h.admin("/api/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    long second = json.readTree(reset.body()).get("period").asLong();
    assertThat(second).isGreaterThan(first);
    JsonNode after = json.readTree(h.adminGet("/api/periods").body());
    assertThat(after.get("current").asLong()).isEqualTo(second);
    assertThat(after.get("periods")).hasSize(2);
    assertThat(after.at("/periods/0/endedAt").asText()).isNotEmpty();
    assertThat(json.readTree(h.adminGet("/api/trend").body()).get("endpoints").size()).isZero();

    // the period that ended keeps its evidence in the file
    dev.shadowparity.ledger.Ledger old = new dev.shadowparity.ledger.Ledger(
        dev.shadowparity.config.VerdictConfig.DEFAULTS, dev.shadowparity.config.LimitsConfig.DEFAULTS);
    dev.shadowparity.store.StoreReader.read(db, first, old);
    assertThat(old.report().endpoint("GET /api/users/{id}").mismatched()).isEqualTo(3);
  }

  /** While the store cannot be written, /health says DEGRADED (still 200) and the metrics say so too. */
  @Test
  void aStoreThatCannotBeWritten_showsInHealthAndMetrics() throws Exception {
    Path file = dir.resolve("locked.db");
    backends().tap("store: {file: " + file + ", flush: 50ms}\n");
    traffic();
    TapHarness.eventually(() -> h.tap.store().flushProblem() == null && java.nio.file.Files.exists(file), "a first flush");
    try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement st = other.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      h.get("/api/users/77");
      dev.shadowparity.Await.until(() -> h.tap.store().flushProblem() != null, java.time.Duration.ofSeconds(30),
          "the writer met the lock (after its 5 s busy timeout)");
      HttpResponse<String> health = h.adminGet("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonNode body = json.readTree(health.body());
      assertThat(body.get("status").asText()).isEqualTo("DEGRADED");
      assertThat(body.at("/store/failedFlushes").asLong()).isPositive();
      assertThat(h.adminGet("/metrics").body()).contains("parity_store_flush_ok 0.0");
      st.execute("ROLLBACK");
    }
    TapHarness.eventually(() -> h.tap.store().flushProblem() == null, "a flush succeeds again");
    assertThat(json.readTree(h.adminGet("/health").body()).get("status").asText()).isEqualTo("UP");
  }

  /**
   * A tap whose store only it writes (a file, or memory) has no fleet to show: {@code /api/store} says so, and
   * {@code scope=fleet} is refused with why on every route that takes a scope; {@code scope=tap} is the default.
   */
  @Test
  void scopeFleet_onAFileOrMemoryStore_is400_apiStoreSaysNotShared() throws Exception {
    Path db = dir.resolve("parity.db");
    backends().tap("store: {file: " + db + "}\n");
    traffic();
    JsonNode store = json.readTree(h.adminGet("/api/store").body());
    assertThat(store.get("shared").asBoolean()).isFalse();
    assertThat(store.get("kind").asText()).isEqualTo("file");
    assertThat(store.get("store").asText()).isEqualTo(db.toString());
    assertThat(store.get("scopes")).hasSize(1);
    String samples = "/api/endpoints/" + q("GET /api/users/{id}") + "/samples";
    for (String path : List.of("/api/report", samples, "/api/gate")) {
      HttpResponse<String> fleet = h.adminGet(path + "?scope=fleet");
      assertThat(fleet.statusCode()).as(path).isEqualTo(400);
      assertThat(json.readTree(fleet.body()).get("error").asText()).as(path)
          .contains("scope=fleet needs a store shared by a fleet of taps").contains("the file " + db);
      assertThat(h.adminGet(path + "?scope=everyone").statusCode()).as(path).isEqualTo(400);
      assertThat(h.adminGet(path + "?scope=tap&scope=fleet").statusCode()).as(path).isEqualTo(400);
    }
    assertThat(h.adminGet("/api/trend?scope=fleet").statusCode()).isEqualTo(400);
    assertThat(h.adminGet("/api/trend?scope=tap").statusCode()).isEqualTo(200);
    JsonNode own = json.readTree(h.adminGet("/api/report?scope=tap").body());
    assertThat(own.at("/totals/compared").asLong()).isEqualTo(6);
    assertThat(own.has("taps")).isFalse();
    assertThat(h.adminGet(samples + "?scope=tap").statusCode()).isEqualTo(200);
    assertThat(gate("?scope=tap&endpoint=" + q("GET /api/users/{id}")).statusCode()).isEqualTo(409);
  }

  @Test
  void scopeFleet_onAMemoryStore_is400() throws Exception {
    backends().tap("store: {file: none}\n");
    assertThat(json.readTree(h.adminGet("/api/store").body()).get("kind").asText()).isEqualTo("memory");
    assertThat(json.readTree(h.adminGet("/api/report?scope=fleet").body()).get("error").asText()).contains("in memory");
  }

  /** A misspelt or repeated gate parameter is refused: it would otherwise loosen the rule without a word. */
  @Test
  void gate_refusesUnknownOrRepeatedParameters() throws Exception {
    backends().tap("");
    traffic();
    HttpResponse<String> typo = gate("?maxMismatchRate=0.5");
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(json.readTree(typo.body()).get("error").asText()).contains("unknown parameter 'maxMismatchRate'");
    HttpResponse<String> twice = gate("?min-compared=3&min-compared=100000");
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(json.readTree(twice.body()).get("error").asText()).isEqualTo("min-compared: given more than once");
    assertThat(gate("?endpoint=" + q("GET /api/health-check") + "&endpoint=" + q("GET /api/users/{id}")).statusCode())
        .as("endpoint may repeat").isEqualTo(409);
  }

  /** One request on its own connection to the admin port, as raw bytes (any Host, any header); the whole answer. */
  private String adminRaw(String method, String path, String... headers) throws Exception {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    boolean host = false;
    for (String h : headers) {
      req.append(h).append("\r\n");
      host |= h.regionMatches(true, 0, "Host:", 0, 5);
    }
    if (!host) {
      req.append("Host: 127.0.0.1:").append(h.tap.adminPort()).append("\r\n");
    }
    req.append(method.equals("POST") ? "Content-Length: 0\r\n" : "").append("Connection: close\r\n\r\n");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.adminPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      return TapHarness.readAll(s.getInputStream());
    }
  }

  private static int status(String raw) {
    return Integer.parseInt(raw.substring(9, 12));
  }

  private long currentPeriod() throws Exception {
    return json.readTree(h.adminGet("/api/periods").body()).get("current").asLong();
  }

  /**
   * A page of another site posts to /api/reset (a form, or fetch in no-cors mode): the browser says where it comes
   * from, and the admin refuses; the admin page's own POSTs (same-origin) and clients that are not browsers pass.
   */
  @Test
  void crossSitePost_isRefused_sameOriginAndNonBrowserClientsPass() throws Exception {
    Path db = dir.resolve("parity.db");
    backends().tap("store: {file: " + db + ", flush: 1h}\n");
    traffic();
    long period = currentPeriod();
    String self = "http://127.0.0.1:" + h.tap.adminPort();
    for (String[] attack : new String[][] {
        {"Origin: https://evil.example"},
        {"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"},
        {"Sec-Fetch-Site: cross-site"},
        {"Sec-Fetch-Site: same-site", "Origin: http://127.0.0.1:3000"}, // another local port: same site, other origin
        {"Origin: http://localhost:" + h.tap.adminPort()},             // Host says 127.0.0.1: another origin
        {"Origin: null"},                                              // a sandboxed frame, a data: URL
        {"Origin: " + self, "Origin: https://evil.example"}}) {
      String answer = adminRaw("POST", "/api/reset", attack);
      assertThat(status(answer)).as(String.join(" ", attack)).isEqualTo(403);
      assertThat(answer).as(String.join(" ", attack)).contains("may not change the admin's state");
    }
    assertThat(status(adminRaw("POST", "/api/accept", "Origin: https://evil.example", "Content-Type: text/plain")))
        .isEqualTo(403);
    assertThat(status(adminRaw("POST", "/api/gate", "Sec-Fetch-Site: cross-site"))).isEqualTo(403);
    assertThat(currentPeriod()).as("no refused reset ended the period").isEqualTo(period);
    // a cross-site GET changes nothing (and the browser does not let the page read the answer)
    assertThat(status(adminRaw("GET", "/api/report", "Sec-Fetch-Site: cross-site"))).isEqualTo(200);

    // the page's own fetch: same-origin, with its Origin
    String own = adminRaw("POST", "/api/reset", "Origin: " + self, "Sec-Fetch-Site: same-origin");
    assertThat(status(own)).as(own).isEqualTo(200);
    long second = currentPeriod();
    assertThat(second).isGreaterThan(period);
    // typed into the address bar or a bookmark: none; curl, a controller's webhook: neither header
    assertThat(status(adminRaw("POST", "/api/reset", "Sec-Fetch-Site: none"))).isEqualTo(200);
    assertThat(status(adminRaw("POST", "/api/reset"))).isEqualTo(200);
    assertThat(status(adminRaw("POST", "/api/reset", "Host: localhost:" + h.tap.adminPort(),
        "Origin: http://LOCALHOST:" + h.tap.adminPort(), "Sec-Fetch-Site: same-origin"))).isEqualTo(200);
    assertThat(currentPeriod()).isGreaterThan(second);
  }

  /**
   * DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 reads the admin with Host: evil.example.
   * Only IP addresses, localhost, the admin's own host and the configured names are answered, /health included.
   */
  @Test
  void aForeignHost_isRefusedOnEveryRoute_loopbackAndConfiguredNamesPass() throws Exception {
    backends().tap("admin-hosts: [tap.internal, .svc.cluster.local]\n");
    traffic();
    int port = h.tap.adminPort();
    for (String path : List.of("/api/report", "/health", "/", "/metrics", "/nope")) {
      String answer = adminRaw("GET", path, "Host: evil.example:" + port);
      assertThat(status(answer)).as(path).isEqualTo(403);
      assertThat(answer).as(path).contains("does not answer to Host 'evil.example:" + port + "'").contains("admin-hosts")
          .doesNotContain("score");
    }
    for (String bad : List.of("evil.example", "127.0.0.1.evil.example", "tap.internal.evil.example", "localhost:99x",
        "evil.example:" + port + "@127.0.0.1", "cluster.local.example")) {
      assertThat(status(adminRaw("GET", "/api/report", "Host: " + bad))).as(bad).isEqualTo(403);
    }
    assertThat(status(adminRaw("GET", "/api/report", "Host: 127.0.0.1:" + port, "Host: evil.example"))).as("two Hosts")
        .isEqualTo(403);
    for (String good : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost", "LocalHost.:" + port,
        "tap.internal:" + port, "TAP.INTERNAL", "tap.internal:8443", "10.1.2.3:9090", "parity-tap.shop.svc.cluster.local:9090")) {
      String answer = adminRaw("GET", "/api/report", "Host: " + good);
      assertThat(status(answer)).as(good).isEqualTo(200);
      assertThat(answer).as(good).containsPattern("\"totals\" : \\{\\s+\"compared\" : 6,");
    }
    // a kubelet probe: Host is the pod's IP
    assertThat(status(adminRaw("GET", "/health", "Host: 10.244.1.17:9090"))).isEqualTo(200);
  }

  @Test
  void bearerScheme_isCaseInsensitive_andTheTokenMustMatchExactly() throws Exception {
    backends().tap("admin-token: s3cret\n");
    for (String good : List.of("Bearer s3cret", "bearer s3cret", "BEARER s3cret", "Bearer   s3cret")) {
      assertThat(status(adminRaw("GET", "/api/report", "Authorization: " + good))).as(good).isEqualTo(200);
    }
    for (String bad : List.of("Bearer s3cre", "Bearer s3cretx", "Bearer S3CRET", "Basic s3cret", "Bearer", "s3cret",
        "Bearers3cret", "Bearer s3 cret")) {
      String answer = adminRaw("GET", "/api/report", "Authorization: " + bad);
      assertThat(status(answer)).as(bad).isEqualTo(401);
      assertThat(answer).as(bad).containsIgnoringCase("www-authenticate: Bearer");
    }
    assertThat(status(adminRaw("GET", "/api/report", "Authorization: Bearer s3cret", "Authorization: Bearer s3cret")))
        .as("two Authorization headers").isEqualTo(401);
    // the token does not open the door to another site's page
    assertThat(status(adminRaw("POST", "/api/reset", "Authorization: bearer s3cret", "Origin: https://evil.example")))
        .isEqualTo(403);
    assertThat(status(adminRaw("POST", "/api/reset", "Authorization: bearer s3cret"))).isEqualTo(200);
  }

  /** An admin on every interface without a token would let anyone who reaches it read and reset the evidence. */
  @Test
  void aNonLoopbackAdminWithoutAToken_refusesToStart_unlessInsecureIsSaid() throws Exception {
    backends();
    String base = "listen: 127.0.0.1:0\nold: " + h.oldUrl() + "\nnew: " + h.newUrl() + "\nstore: {file: none}\n";
    for (String admin : List.of("0.0.0.0:0", "[::]:0", "tap.internal:0")) {
      String yaml = base + "admin: \"" + admin + "\"\n";
      Throwable err = Tap.start(h.vertx, dev.shadowparity.config.ConfigLoader.parse(yaml, "t"),
          dev.shadowparity.config.ConfigLoader.parseTap(yaml, "t")).toCompletionStage().toCompletableFuture()
          .handle((t, e) -> e).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(err).as(admin).isNotNull();
      assertThat(err.getMessage()).as(admin).contains("the admin API would listen on " + admin + " (not loopback) without a token")
          .contains("admin-token").contains("PARITY_ADMIN_TOKEN").contains("--admin-insecure");
    }
    for (String ok : List.of("admin: 0.0.0.0:0\nadmin-insecure: true\n", "admin: 0.0.0.0:0\nadmin-token: s3cret\n",
        "admin: localhost:0\n", "admin: 127.0.0.2:0\n", "admin: \"[::1]:0\"\n")) {
      String yaml = base + ok;
      Tap tap;
      try {
        tap = TapHarness.await(Tap.start(h.vertx, dev.shadowparity.config.ConfigLoader.parse(yaml, "t"),
            dev.shadowparity.config.ConfigLoader.parseTap(yaml, "t")));
      } catch (IllegalStateException e) {
        if (ok.contains("::1") && String.valueOf(e.getMessage()).contains("cannot serve the admin API")) {
          continue; // a machine without IPv6 loopback
        }
        throw e;
      }
      TapHarness.await(tap.shutdown(0));
    }
  }
}
