package dev.shadowparity.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.report.Report;
import dev.shadowparity.store.Store;
import dev.shadowparity.store.StoreLocation;
import dev.shadowparity.store.StoreReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store in this JVM against a real PostgreSQL: what no single flush may do is stop the writes (a
 * name longer than an index entry, a NUL in a JSON key), a role with no CREATE privilege writes a migrated
 * database, and a database that lost this writer's row (replaced, restored) is written again, never twice.
 */
class PostgresStoreTest {

  private static final ParityConfig CONFIG = ConfigLoader.parse("", "test.yaml");
  private static PostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresServer.create();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private static Exchange exchange(String uri, String oldBody, String newBody) {
    RecordedRequest req = new RecordedRequest("GET", uri, Headers.of(), null);
    return new Exchange(req,
        new RecordedResponse(200, Headers.of("Content-Type", "application/json"), oldBody.getBytes(StandardCharsets.UTF_8), 5_000_000),
        new RecordedResponse(200, Headers.of("Content-Type", "application/json"), newBody.getBytes(StandardCharsets.UTF_8), 7_000_000));
  }

  private static Store open(String database, String uri, String tap, ParityEngine engine) {
    return Store.open(StoreLocation.parse(uri, Map.of()), tap, engine.ledger(), Duration.ofHours(1), engine::reset);
  }

  private static Report fleet(String database) {
    Ledger ledger = new Ledger(CONFIG.verdict(), CONFIG.limits());
    StoreReader.read(StoreLocation.parse(pg.uri(database), Map.of()), null, null, ledger);
    return ledger.report();
  }

  @Test
  void longNamesAndNulsInJsonKeys_areWritten_notAFlushThatFailsForever() throws Exception {
    pg.createDatabase("long_names");
    ParityEngine engine = new ParityEngine(CONFIG);
    Store store = open("long_names", pg.uri("long_names"), "tap-1", engine);
    String longSegment = "a-b".repeat(2000); // a word, not an id: it stays in the endpoint's name, 6,000 characters
    String longKey = "k".repeat(4000);
    for (int i = 0; i < 3; i++) {
      engine.process(exchange("/api/" + longSegment, "{\"" + longKey + "\":1,\"n\\u0000ul\":1}",
          "{\"" + longKey + "\":2,\"n\\u0000ul\":2}"));
    }
    store.flushNow();
    assertThat(store.flushProblem()).isNull();
    store.close();
    Report r = fleet("long_names");
    assertThat(r.endpoints()).hasSize(1);
    assertThat(r.endpoints().get(0).endpoint()).hasSizeGreaterThan(6000);
    assertThat(r.endpoints().get(0).mismatched()).isEqualTo(3);
    assertThat(r.endpoints().get(0).samples()).isNotEmpty();
  }

  @Test
  void aRoleWithoutCreate_writesADatabaseMigratedByItsOwner() throws Exception {
    pg.createDatabase("least");
    ParityEngine owner = new ParityEngine(CONFIG);
    open("least", pg.uri("least"), "owner", owner).close(); // migrates, as the database's owner
    try (Connection c = pg.connect("least"); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE writer LOGIN PASSWORD 'w1'");
      st.execute("GRANT CONNECT ON DATABASE least TO writer");
      st.execute("GRANT USAGE ON SCHEMA parity TO writer");
      st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA parity TO writer");
    }
    ParityEngine tap = new ParityEngine(CONFIG);
    String uri = "postgresql://writer:w1@127.0.0.1:" + pg.port() + "/least";
    Store store = open("least", uri, "least-privileged", tap);
    tap.process(exchange("/api/users/1", "{\"a\":1}", "{\"a\":1}"));
    store.flushNow();
    assertThat(store.flushProblem()).isNull();
    store.close();
    assertThat(fleet("least").totals().compared()).isEqualTo(1);
  }

  @Test
  void aDatabaseThatLostThisWritersRow_isWrittenAgain_neverTwice() throws Exception {
    pg.createDatabase("replaced");
    ParityEngine engine = new ParityEngine(CONFIG);
    Store store = open("replaced", pg.uri("replaced"), "tap-1", engine);
    for (int i = 0; i < 5; i++) {
      engine.process(exchange("/api/users/" + i, "{\"a\":1}", "{\"a\":1}"));
    }
    store.flushNow();
    // a restore from before this tap started: its writer row and its rows are gone
    try (Connection c = pg.connect("replaced"); Statement st = c.createStatement()) {
      st.execute("DELETE FROM parity.writers");
      st.execute("DELETE FROM parity.counts");
    }
    for (int i = 5; i < 8; i++) {
      engine.process(exchange("/api/users/" + i, "{\"a\":1}", "{\"a\":1}"));
    }
    try {
      store.flushNow();
    } catch (RuntimeException outOfStep) {
      assertThat(outOfStep).hasMessageContaining("out of step");
    }
    for (int i = 8; i < 10; i++) {
      engine.process(exchange("/api/users/" + i, "{\"a\":1}", "{\"a\":1}"));
    }
    store.flushNow();
    assertThat(store.flushProblem()).isNull();
    store.close();
    // the lost flush's 5 are gone with the restore; the 5 counted since are written once
    assertThat(fleet("replaced").totals().compared()).isEqualTo(5);
    try (Connection c = pg.connect("replaced")) {
      assertThat(count(c, "SELECT count(*) FROM parity.writers")).isEqualTo(1);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
