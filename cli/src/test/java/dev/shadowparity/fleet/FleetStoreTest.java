package dev.shadowparity.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.cli.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of taps, each a process of its own, sharing one real PostgreSQL: the fleet's counts are the exact sum of
 * the traffic through a database crash and a reset, samples stay within their caps across the fleet, and taps
 * starting at once migrate an empty database once.
 */
class FleetStoreTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USERS = "GET /api/users/{id}";
  private static final String ITEMS = "GET /api/items/{id}";

  @TempDir
  Path dir;
  private final List<HttpServer> backends = new ArrayList<>();
  private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);
  private final List<TapProcess> taps = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (TapProcess tap : taps) {
      tap.close();
    }
    backends.forEach(s -> s.stop(0));
    backendThreads.shutdownNow();
  }

  @Test
  void threeTaps_oneDatabase_countsSumExactly_throughACrashAndAReset_samplesWithinTheirCaps() throws Exception {
    try (PostgresServer pg = PostgresServer.create()) {
      String[] urls = backends();
      Path config = config();
      for (String id : List.of("tap-a", "tap-b", "tap-c")) {
        taps.add(TapProcess.start(dir, id, Map.of("PGPASSWORD", pg.password()), List.of("--config", config.toString(),
            "--old", urls[0], "--new", urls[1], "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
            "--store", pg.uriWithoutPassword(), "--tap-id", id)));
      }
      for (TapProcess tap : taps) {
        Poll.until(() -> "UP".equals(tap.adminJson("/health").path("status").asText()) ? true : null,
            Duration.ofSeconds(60), () -> "a tap to reach its store; " + tap.tails());
      }
      // 90 requests over the three taps: users 0-59 (every one ending in 0 answers differently on NEW), items 0-29
      send(0, 60, "/api/users/");
      send(0, 30, "/api/items/");
      Poll.until(() -> fleet(pg, null).at("/totals/compared").asLong() == 90 ? true : null, Duration.ofSeconds(60),
          () -> "the fleet to have written 90 exchanges; " + tails());

      // the database crashes: the taps go on serving OLD's answers and counting in memory
      pg.kill();
      send(60, 120, "/api/users/");
      for (TapProcess tap : taps) {
        Poll.until(() -> "DEGRADED".equals(tap.adminJson("/health").path("status").asText()) ? true : null,
            Duration.ofSeconds(60), () -> "a tap to report the store outage; " + tap.tails());
      }
      JsonNode health = taps.get(0).adminJson("/health");
      assertThat(health.at("/store/failedFlushes").asLong()).isPositive();
      assertThat(health.at("/store/pendingRows").asLong()).isPositive();
      String metrics = taps.get(0).adminGet("/metrics").body();
      assertThat(metrics).contains("parity_store_flush_ok 0.0").contains("parity_store_flush_seconds_count")
          .contains("parity_store_rows_written_total").doesNotContain("parity_store_pending_rows 0.0")
          .doesNotContain(pg.password());
      pg.start();
      for (TapProcess tap : taps) {
        Poll.until(() -> "UP".equals(tap.adminJson("/health").path("status").asText()) ? true : null,
            Duration.ofSeconds(90), () -> "a tap to write again after the database came back; " + tap.tails());
      }
      send(30, 60, "/api/items/");
      JsonNode period1 = Poll.until(() -> {
        JsonNode r = fleet(pg, null);
        return r.at("/totals/compared").asLong() == 180 ? r : null;
      }, Duration.ofSeconds(60), () -> "the fleet to have written 180 exchanges; " + tails());
      assertThat(period1.at("/totals/mismatched").asLong()).isEqualTo(12);
      assertThat(endpoint(period1, USERS).path("compared").asLong()).isEqualTo(120);
      assertThat(endpoint(period1, USERS).path("mismatched").asLong()).isEqualTo(12);
      assertThat(endpoint(period1, ITEMS).path("compared").asLong()).isEqualTo(60);
      assertThat(endpoint(period1, ITEMS).path("verdict").asText()).isNotEqualTo("FAILING");
      Map<String, Long> byTap = new LinkedHashMap<>();
      period1.path("taps").forEach(t -> byTap.put(t.path("tap").asText(), t.path("compared").asLong()));
      assertThat(byTap).containsOnlyKeys("tap-a", "tap-b", "tap-c").containsValues(60L).allSatisfy((t, n) -> assertThat(n).isEqualTo(60));

      // a reset from outside: every tap goes on in the new period, the old one keeps what was counted before
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = ParityMain.run(new PrintWriter(out), new PrintWriter(err), "report", "--store", pg.uri(),
          "--fail-on", "never", "--reset");
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("Taps (3):").contains("tap-a").contains("period 1");
      java.util.regex.Matcher started = java.util.regex.Pattern.compile("new evidence period (\\d+) started").matcher(out.toString());
      assertThat(started.find()).as(out.toString()).isTrue();
      // (PostgreSQL's identity sequences may jump after a crash: the new period's id is read, not assumed)
      long next = Long.parseLong(started.group(1));
      for (TapProcess tap : taps) {
        Poll.until(() -> tap.adminJson("/api/periods").path("current").asLong() == next ? true : null,
            Duration.ofSeconds(60), () -> "a tap to go on in period " + next + "; " + tap.tails());
      }
      send(60, 90, "/api/items/");
      // SIGTERM: each tap writes what is left before it exits
      for (TapProcess tap : taps) {
        assertThat(tap.stop()).isEqualTo(143);
      }
      JsonNode first = fleet(pg, 1L);
      assertThat(first.at("/totals/compared").asLong()).as("nothing lost, nothing counted twice").isEqualTo(180);
      assertThat(first.at("/totals/mismatched").asLong()).isEqualTo(12);
      JsonNode second = fleet(pg, null);
      assertThat(second.at("/totals/compared").asLong()).isEqualTo(30);
      assertThat(second.at("/totals/mismatched").asLong()).isZero();

      try (Connection c = pg.connect()) {
        // samples-per-field is 2: every mismatch of the users differs at /v, so two samples in all, not two per tap
        assertThat(count(c, "SELECT count(*) FROM parity.samples WHERE period = 1 AND endpoint = '" + USERS + "'"))
            .isEqualTo(2);
        assertThat(count(c, "SELECT count(DISTINCT tap) FROM parity.counts WHERE period = 1")).isEqualTo(3);
        assertThat(count(c, "SELECT count(*) FROM parity.schema_migrations")).isEqualTo(1);
      }
      JsonNode usersSamples = endpoint(first, USERS).path("samples");
      assertThat(usersSamples.size()).isEqualTo(2);
    }
  }

  @Test
  void tapsStartingAtOnce_onAnEmptyDatabase_migrateItOnce_andATapStartsWhileTheDatabaseIsDown() throws Exception {
    try (PostgresServer pg = PostgresServer.create()) {
      String[] urls = backends();
      pg.createDatabase("fresh");
      String store = pg.uriWithoutPassword("fresh");
      List<CompletableFuture<TapProcess>> starting = new ArrayList<>();
      for (String id : List.of("one", "two", "three")) {
        starting.add(CompletableFuture.supplyAsync(() -> {
          try {
            return TapProcess.start(dir, id, Map.of("PGPASSWORD", pg.password()), List.of("--old", urls[0], "--new", urls[1],
                "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--store", store, "--tap-id", id));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (CompletableFuture<TapProcess> f : starting) {
        taps.add(f.get());
      }
      for (TapProcess tap : taps) {
        Poll.until(() -> "UP".equals(tap.adminJson("/health").path("status").asText()) ? true : null,
            Duration.ofSeconds(60), () -> "a tap to reach its store; " + tap.tails());
      }
      try (Connection c = pg.connect("fresh")) {
        assertThat(count(c, "SELECT count(*) FROM parity.schema_migrations")).as("migrated once").isEqualTo(1);
        assertThat(count(c, "SELECT count(*) FROM parity.periods")).as("one period for all").isEqualTo(1);
        assertThat(count(c, "SELECT count(*) FROM parity.writers")).isEqualTo(3);
      }
      for (TapProcess tap : taps) {
        assertThat(tap.adminJson("/api/periods").path("current").asLong()).isEqualTo(1);
      }

      // a tap whose database is down starts anyway (a sidecar must never keep its pod from serving) and writes later
      pg.stop();
      TapProcess late = TapProcess.start(dir, "late", Map.of("PGPASSWORD", pg.password()), List.of("--old", urls[0],
          "--new", urls[1], "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--store", store, "--tap-id", "late"));
      taps.add(late);
      assertThat(late.adminJson("/health").path("status").asText()).isEqualTo("DEGRADED");
      for (int i = 0; i < 10; i++) {
        assertThat(late.proxyGet("/api/users/" + i).status()).isEqualTo(200);
      }
      pg.start();
      JsonNode report = Poll.until(() -> {
        JsonNode r = fleet(pg, "fresh", null);
        return r.at("/totals/compared").asLong() == 10 ? r : null;
      }, Duration.ofSeconds(90), () -> "the late tap to write its 10 exchanges; " + late.tails());
      assertThat(report.at("/totals/mismatched").asLong()).isEqualTo(1);
      assertThat(report.path("taps").findValuesAsText("tap")).contains("late");
    }
  }

  /** OLD and NEW on loopback: NEW answers differently for users whose id ends in 0. */
  private String[] backends() throws IOException {
    HttpServer old = backend(path -> "{\"path\":\"" + path + "\",\"v\":1}");
    HttpServer neu = backend(path -> "{\"path\":\"" + path + "\",\"v\":"
        + (path.startsWith("/api/users/") && path.endsWith("0") ? 2 : 1) + "}");
    return new String[] {"http://127.0.0.1:" + old.getAddress().getPort(), "http://127.0.0.1:" + neu.getAddress().getPort()};
  }

  private Path config() throws IOException {
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, """
        sample-rate: 1
        store:
          flush: 200ms
        limits:
          samples-per-field: 2
          samples-per-endpoint: 3
        """);
    return config;
  }

  /** Requests {@code prefix + i} for i in [from, to), round-robin over the taps; every answer is OLD's. */
  private void send(int from, int to, String prefix) throws Exception {
    for (int i = from; i < to; i++) {
      TapProcess tap = taps.get(i % taps.size());
      TapProcess.Response r = tap.proxyGet(prefix + i);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"path\":\"" + prefix + i + "\",\"v\":1}");
    }
  }

  private JsonNode fleet(PostgresServer pg, Long period) throws Exception {
    return fleet(pg, PostgresServer.DATABASE, period);
  }

  /** {@code parity report --store URI --json}: the fleet's evidence, as a user reads it. */
  private JsonNode fleet(PostgresServer pg, String database, Long period) throws Exception {
    Path json = Files.createTempFile(dir, "fleet-", ".json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("report", "--store", pg.uri(database), "--json", json.toString(),
        "--fail-on", "never"));
    if (period != null) {
      args.addAll(List.of("--period", period.toString()));
    }
    int exit = ParityMain.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertThat(exit).as(err.toString()).isZero();
    return JSON.readTree(json.toFile());
  }

  private static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + report);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String tails() {
    StringBuilder b = new StringBuilder();
    taps.forEach(t -> b.append(t.tails()).append('\n'));
    return b.toString();
  }

  private HttpServer backend(Function<String, String> body) throws IOException {
    HttpServer server = JsonBackend.start(backendThreads, body);
    backends.add(server);
    return server;
  }

}
