package dev.shadowparity.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.shadowparity.cli.Poll;
import dev.shadowparity.cli.WebTest;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet views of the admin API and page: two taps in this JVM (each its own Vert.x, as each tap of a fleet is a
 * process of its own) write one real PostgreSQL under different tap ids; either tap's {@code scope=fleet} shows the
 * sum of both, with what each contributed, while {@code scope=tap} stays its own. A tap with an SQLite file has no
 * fleet (400); while the database is down the fleet answers 503 with why and the tap's own view goes on.
 */
class FleetAdminTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USERS = "GET /api/users/{id}";
  private static final String ITEMS = "GET /api/items/{id}";

  @TempDir
  Path dir;
  private final List<HttpServer> backends = new ArrayList<>();
  private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);
  private final List<Tap> taps = new ArrayList<>();
  private final List<Vertx> tapVertx = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws Exception {
    stopTaps();
    backends.forEach(s -> s.stop(0));
    backendThreads.shutdownNow();
  }

  @Test
  void fleetScope_sumsEveryTap_listsThem_gatesOnTheSum_400WithoutASharedStore_503WhileTheDatabaseIsDown() throws Exception {
    try (PostgresServer pg = PostgresServer.create()) {
      String[] urls = backends();
      Tap a = startTap(urls, sharedStore(pg, "tap-a"));
      Tap b = startTap(urls, sharedStore(pg, "tap-b"));
      // users whose id ends in 0 answer differently on NEW: 4 mismatches through tap-a, 2 through tap-b
      send(a, "/api/users/", 0, 40);
      send(a, "/api/items/", 0, 10);
      send(b, "/api/users/", 40, 60);
      send(b, "/api/items/", 10, 50);
      JsonNode fleetA = Poll.until(() -> {
        Answer r = get(a, "/api/report?scope=fleet");
        return r.status() == 200 && r.json().at("/totals/compared").asLong() == 110
            && r.json().at("/totals/mismatched").asLong() == 6 ? r.json() : null;
      }, Duration.ofSeconds(60), "tap-a's fleet view to show the 110 exchanges of both taps");

      // the fleet is the exact sum of what each tap saw, per endpoint
      JsonNode ownA = get(a, "/api/report").json();
      JsonNode ownB = get(b, "/api/report?scope=tap").json();
      for (String ep : List.of(USERS, ITEMS)) {
        for (String count : List.of("compared", "mismatched", "errors")) {
          assertThat(endpoint(fleetA, ep).path(count).asLong()).as("%s %s", ep, count)
              .isEqualTo(endpoint(ownA, ep).path(count).asLong() + endpoint(ownB, ep).path(count).asLong());
        }
      }
      assertThat(endpoint(fleetA, USERS).path("compared").asLong()).isEqualTo(60);
      assertThat(endpoint(fleetA, USERS).path("mismatched").asLong()).isEqualTo(6);
      assertThat(endpoint(fleetA, ITEMS).path("compared").asLong()).isEqualTo(50);
      assertThat(endpoint(fleetA, ITEMS).path("mismatched").asLong()).isZero();
      assertThat(endpoint(fleetA, USERS).path("fields").get(0).path("field").asText()).isEqualTo("/v");
      // scope=tap is this tap's own evidence, without taps
      assertThat(endpoint(ownA, USERS).path("compared").asLong()).isEqualTo(40);
      assertThat(endpoint(ownB, USERS).path("compared").asLong()).isEqualTo(20);
      assertThat(ownA.has("taps")).isFalse();
      assertThat(ownA.path("source").asText()).contains("tap tap-a");

      // what each tap contributed, on either tap's fleet view
      Map<String, JsonNode> contributed = new LinkedHashMap<>();
      fleetA.path("taps").forEach(t -> contributed.put(t.path("tap").asText(), t));
      assertThat(contributed).containsOnlyKeys("tap-a", "tap-b");
      assertThat(contributed.get("tap-a").path("compared").asLong()).isEqualTo(50);
      assertThat(contributed.get("tap-a").path("mismatched").asLong()).isEqualTo(4);
      assertThat(contributed.get("tap-b").path("compared").asLong()).isEqualTo(60);
      assertThat(contributed.get("tap-b").path("mismatched").asLong()).isEqualTo(2);
      assertThat(contributed.get("tap-b").path("endpoints").asLong()).isEqualTo(2);
      assertThat(Instant.parse(contributed.get("tap-a").path("lastSeen").asText())).isAfter(Instant.now().minusSeconds(120));
      String source = "store " + pg.uriWithoutPassword() + " period ";
      assertThat(fleetA.path("source").asText()).startsWith(source);
      Answer fleetB = Poll.until(() -> {
        Answer r = get(b, "/api/report?scope=fleet");
        return r.status() == 200 && r.json().at("/totals/compared").asLong() == 110
            && r.json().at("/totals/mismatched").asLong() == 6 ? r : null;
      }, Duration.ofSeconds(30), "tap-b's fleet view");
      assertThat(fleetB.json().path("taps").size()).isEqualTo(2);
      assertThat(fleetB.json().path("source").asText()).isEqualTo(fleetA.path("source").asText());
      assertThat(fleetB.body()).doesNotContain(pg.password());

      // the store as the page learns it: shared, so the switch is offered
      JsonNode store = get(a, "/api/store").json();
      assertThat(store.path("shared").asBoolean()).isTrue();
      assertThat(store.path("kind").asText()).isEqualTo("postgresql");
      assertThat(store.path("tap").asText()).isEqualTo("tap-a");
      assertThat(store.path("store").asText()).isEqualTo(pg.uriWithoutPassword());
      assertThat(store.path("scopes").toString()).isEqualTo("[\"tap\",\"fleet\"]");
      assertThat(get(a, "/api/trend?scope=fleet").status()).as("the trend is each tap's own").isEqualTo(400);

      // samples of the fleet: from the shared store, within its caps (samples-per-field 2)
      Answer samples = get(b, "/api/endpoints/" + q(USERS) + "/samples?scope=fleet");
      assertThat(samples.status()).isEqualTo(200);
      assertThat(samples.json().size()).isEqualTo(2);
      assertThat(samples.json().get(0).path("differences").get(0).path("field").asText()).isEqualTo("/v");
      assertThat(get(b, "/api/endpoints/" + q("GET /nope") + "/samples?scope=fleet").status()).isEqualTo(404);

      // the gate on the fleet's counts: one tap alone has too few trials for the rule, the fleet has enough
      String rule = "&endpoint=" + q(USERS) + "&max-mismatch-rate=0.5&min-compared=30";
      Answer gateFleet = get(b, "/api/gate?scope=fleet" + rule);
      Answer gateTap = get(b, "/api/gate?scope=tap" + rule);
      assertThat(gateFleet.json().at("/endpoints/0/trials").asLong()).isEqualTo(60);
      assertThat(gateFleet.json().at("/endpoints/0/failures").asLong()).isEqualTo(6);
      assertThat(gateFleet.json().at("/endpoints/0/verdict").asText()).isEqualTo("PROVEN");
      assertThat(gateFleet.status()).as(gateFleet.body()).isEqualTo(200);
      assertThat(gateTap.json().at("/endpoints/0/trials").asLong()).isEqualTo(20);
      assertThat(gateTap.json().at("/endpoints/0/verdict").asText()).isEqualTo("UNPROVEN");
      assertThat(gateTap.status()).isEqualTo(409);
      assertThat(get(a, "/api/gate?scope=fleet").status()).as("the default rule: 10% mismatches do not pass")
          .isEqualTo(409);

      // a tap whose store is its own file has no fleet
      Tap alone = startTap(urls, "store:\n  file: " + dir.resolve("alone.db") + "\n");
      Answer refused = get(alone, "/api/report?scope=fleet");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().path("error").asText()).contains("scope=fleet needs a store shared by a fleet of taps");
      assertThat(get(alone, "/api/gate?scope=fleet").status()).isEqualTo(400);
      assertThat(get(alone, "/api/store").json().path("shared").asBoolean()).isFalse();

      // the database goes away: the fleet view says why (503), this tap's own view goes on
      pg.stop();
      Answer down = Poll.until(() -> {
        Answer r = get(a, "/api/report?scope=fleet");
        return r.status() == 503 ? r : null;
      }, Duration.ofSeconds(30), "the fleet view to answer 503 once its last read is older than its cache");
      String why = down.json().path("error").asText();
      assertThat(why).startsWith("the fleet's evidence cannot be read now: " + pg.uriWithoutPassword())
          .doesNotContain(pg.password()).doesNotContain("\tat ").doesNotContain("Exception");
      assertThat(down.json().path("scope").asText()).isEqualTo("fleet");
      assertThat(get(a, "/api/gate?scope=fleet").status()).isEqualTo(503);
      assertThat(get(a, "/api/endpoints/" + q(USERS) + "/samples?scope=fleet").status()).isEqualTo(503);
      Answer own = get(a, "/api/report");
      assertThat(own.status()).isEqualTo(200);
      assertThat(endpoint(own.json(), USERS).path("compared").asLong()).isEqualTo(40);
      assertThat(get(a, "/api/endpoints/" + q(USERS) + "/samples").status()).isEqualTo(200);
      assertThat(get(a, "/api/store").status()).isEqualTo(200);

      // and comes back: so does the fleet view
      pg.start();
      Poll.until(() -> {
        Answer r = get(a, "/api/report?scope=fleet");
        return r.status() == 200 && r.json().at("/totals/compared").asLong() == 110 ? r : null;
      }, Duration.ofSeconds(60), "the fleet view to read the database again");
      stopTaps();
    }
  }

  /**
   * The page in a real Chromium ({@code webtest/fleet-test.js}): the switch, the fleet's sums, the taps with a tap
   * last seen long ago marked, an endpoint's fleet samples, and {@code /?scope=fleet} opening on the fleet.
   */
  @Test
  void fleetSwitch_inChromium_showsTheSumAndTheTaps_markingOneLastSeenLongAgo() throws Exception {
    String node = WebTest.requirements();
    try (PostgresServer pg = PostgresServer.create()) {
      String[] urls = backends();
      Tap a = startTap(urls, sharedStore(pg, "tap-a"));
      Tap b = startTap(urls, sharedStore(pg, "tap-b"));
      send(a, "/api/users/", 0, 40);
      send(b, "/api/users/", 40, 60);
      Poll.until(() -> {
        Answer r = get(a, "/api/report?scope=fleet");
        return r.status() == 200 && r.json().at("/totals/compared").asLong() == 60 ? r : null;
      }, Duration.ofSeconds(60), "the fleet view to show the 60 exchanges of both taps");
      // a third tap that wrote to this period ten minutes ago and was not seen since (its pod is gone)
      try (Connection c = pg.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT max(id) FROM parity.periods")) {
        rs.next();
        long period = rs.getLong(1);
        Instant gone = Instant.now().minus(Duration.ofMinutes(10));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO parity.counts (period, tap, endpoint, family, key, value)"
            + " VALUES (?, 'tap-gone', ?, 'skipped', '[\"sampled-out\"]', 5)")) {
          ps.setLong(1, period);
          ps.setString(2, USERS);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO parity.writers (instance, tap, seq, started_at, last_seen)"
            + " VALUES ('tap-gone/0000', 'tap-gone', 1, ?, ?)")) {
          ps.setString(1, gone.minus(Duration.ofMinutes(5)).toString());
          ps.setString(2, gone.toString());
          ps.executeUpdate();
        }
      }
      Path shot = WebTest.ROOT.resolve("cli/target/admin-page-fleet.png");
      Files.deleteIfExists(shot);
      String output = WebTest.run(node, "webtest/fleet-test.js", "http://127.0.0.1:" + a.adminPort(),
          "cli/target/admin-page-fleet.png");
      assertThat(output).contains("fleet-test OK").contains("this tap: " + USERS + " compared 40")
          .contains("fleet: " + USERS + " compared 60").containsPattern("fleet endpoint page: Samples \\(\\d+\\)");
      assertThat(shot).exists();
      stopTaps();
    }
  }

  /** A shared store's config: the PostgreSQL database (password in the URI), flushed every 200 ms, as this tap. */
  private static String sharedStore(PostgresServer pg, String tapId) {
    return "store:\n  file: " + pg.uri() + "\n  flush: 200ms\n  tap-id: " + tapId + "\nlimits:\n  samples-per-field: 2\n";
  }

  /** A tap in front of the backends, on its own Vert.x; every request mirrored. */
  private Tap startTap(String[] urls, String yaml) throws Exception {
    String full = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + urls[0] + "\nnew: " + urls[1] + "\nsample-rate: 1\n"
        + yaml;
    Vertx vertx = Vertx.vertx();
    tapVertx.add(vertx);
    Tap tap = await(Tap.start(vertx, ConfigLoader.parse(full, "fleet-admin-test"), ConfigLoader.parseTap(full,
        "fleet-admin-test")));
    taps.add(tap);
    return tap;
  }

  /** Stops the taps (each writes what is left) while the database still runs. */
  private void stopTaps() throws Exception {
    for (Tap t : taps) {
      await(t.shutdown(1000));
    }
    taps.clear();
    for (Vertx v : tapVertx) {
      await(v.close());
    }
    tapVertx.clear();
  }

  private record Answer(int status, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  private Answer get(Tap tap, String path) throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tap.adminPort() + path))
        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** Requests {@code prefix + i} for i in [from, to) through the tap; every answer is OLD's. */
  private void send(Tap tap, String prefix, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tap.proxyPort() + prefix + i))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"path\":\"" + prefix + i + "\",\"v\":1}");
    }
  }

  private static String q(String endpoint) {
    return URLEncoder.encode(endpoint, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + report);
  }

  /** OLD and NEW on loopback: NEW answers differently for users whose id ends in 0. */
  private String[] backends() throws IOException {
    HttpServer old = backend(false);
    HttpServer neu = backend(true);
    return new String[] {"http://127.0.0.1:" + old.getAddress().getPort(), "http://127.0.0.1:" + neu.getAddress().getPort()};
  }

  private HttpServer backend(boolean isNew) throws IOException {
    HttpServer server = JsonBackend.start(backendThreads, path -> "{\"path\":\"" + path + "\",\"v\":"
        + (isNew && path.startsWith("/api/users/") && path.endsWith("0") ? 2 : 1) + "}");
    backends.add(server);
    return server;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
