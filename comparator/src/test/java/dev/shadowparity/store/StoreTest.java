package dev.shadowparity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Gate;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

  @TempDir
  Path dir;

  private static final ParityConfig CONFIG = ConfigLoader.parse("", "test.yaml");

  private static RecordedResponse json(String body, long ms) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), ms * 1_000_000);
  }

  private static Exchange exchange(String uri, String oldBody, String newBody) {
    RecordedRequest req = new RecordedRequest("GET", uri, Headers.of("Authorization", "Bearer topsecret"), null);
    return new Exchange(req, json(oldBody, 5), json(newBody, 9));
  }

  private static ParityEngine engine() {
    return new ParityEngine(CONFIG);
  }

  private static void traffic(ParityEngine e) {
    for (int i = 0; i < 50; i++) {
      e.process(exchange("/api/users/" + i, "{\"a\":1,\"b\":[1,2]}", "{\"a\":1,\"b\":[1,2]}"));
    }
    for (int i = 0; i < 7; i++) {
      e.process(exchange("/api/orders/" + i, "{\"average\":937}", "{\"average\":937.5}"));
    }
    e.process(new Exchange(new RecordedRequest("GET", "/api/orders/9", Headers.of(), null), json("{}", 3),
        new BackendFailure(BackendFailure.Kind.TIMEOUT, "no answer in 10 s", 10_000_000_000L)));
    e.skip(new RecordedRequest("POST", "/api/orders", Headers.of(), null), SkipReason.UNSAFE_METHOD);
  }

  /** The report without its timestamps, which differ between two snapshots. */
  private static String comparable(Report r) {
    return ReportJson.write(new Report(java.time.Instant.EPOCH, r.verdictRule(), r.totals(), r.endpoints()));
  }

  @Test
  void closedAndReopened_theLedgerContinuesWithEveryCountFieldSampleAndLatency() {
    Path file = dir.resolve("parity.db");
    ParityEngine first = engine();
    Store store = Store.open(file, first.ledger(), Duration.ofSeconds(30));
    traffic(first);
    String before = comparable(first.ledger().report());
    store.close();

    ParityEngine second = engine();
    Store again = Store.open(file, second.ledger(), Duration.ofSeconds(30));
    assertThat(comparable(second.ledger().report())).isEqualTo(before);
    assertThat(second.ledger().samples("GET /api/orders/{id}")).isNotEmpty();
    traffic(second);
    EndpointReport orders = second.ledger().report().endpoint("GET /api/orders/{id}");
    assertThat(orders.compared()).isEqualTo(14);
    assertThat(orders.mismatched()).isEqualTo(14);
    assertThat(orders.errors()).isEqualTo(2);
    assertThat(orders.latency().old().count()).isEqualTo(16);
    assertThat(second.ledger().report().endpoint("GET /api/users/{id}").matched()).isEqualTo(100);
    again.close();
    assertThat(StoreReader.read(file, null, new Ledger(CONFIG.verdict(), CONFIG.limits())).id()).isEqualTo(1);
  }

  @Test
  void flushWritesOnlyWhatChanged_andTheFileIsReadableWhileOpen() throws Exception {
    Path file = dir.resolve("p.db");
    ParityEngine e = engine();
    Store store = Store.open(file, e.ledger(), Duration.ofMinutes(5));
    traffic(e);
    assertThat(store.flushNow()).isPositive();
    assertThat(comparable(read(file, null).report())).isEqualTo(comparable(e.ledger().report()));
    long rows = rows(file, "counts");
    assertThat(store.flushNow()).as("nothing changed, nothing written").isZero();
    assertThat(rows(file, "counts")).isEqualTo(rows);
    e.process(exchange("/api/users/1", "{\"a\":1}", "{\"a\":1}"));
    // compared, matched, the query shape's compared and the two latency buckets and maxima of the users endpoint at most
    assertThat(store.flushNow()).isBetween(1, 7);
    assertThat(read(file, null).report().endpoint("GET /api/users/{id}").compared()).isEqualTo(51);
    store.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  @Test
  void newPeriod_keepsTheOldOne_andStartsFromZero() {
    Path file = dir.resolve("periods.db");
    ParityEngine e = engine();
    Store store = Store.open(file, e.ledger(), Duration.ofSeconds(30));
    traffic(e);
    Period p2 = store.newPeriod(e::reset);
    assertThat(p2.id()).isEqualTo(2);
    assertThat(e.ledger().report().endpoints()).isEmpty();
    e.process(exchange("/api/users/1", "{\"a\":1}", "{\"a\":1}"));
    store.close();

    List<Period> periods = StoreReader.periods(file);
    assertThat(periods).extracting(Period::id).containsExactly(1L, 2L);
    assertThat(periods.get(0).endedAt()).isNotNull();
    assertThat(periods.get(1).endedAt()).isNull();
    assertThat(read(file, 1L).report().endpoint("GET /api/users/{id}").compared()).isEqualTo(50);
    assertThat(read(file, null).report().endpoint("GET /api/users/{id}").compared()).isEqualTo(1);
    // reopening continues the current period, not the ended one
    ParityEngine again = engine();
    Store reopened = Store.open(file, again.ledger(), Duration.ofSeconds(30));
    assertThat(reopened.period()).isEqualTo(2);
    assertThat(again.ledger().report().totals().compared()).isEqualTo(1);
    reopened.close();
    assertThatThrownBy(() -> StoreReader.read(file, 7L, new Ledger(CONFIG.verdict(), CONFIG.limits())))
        .hasMessageContaining("no period 7").hasMessageContaining("1 to 2");
  }

  @Test
  void aFileThatIsNoStore_orIsMissing_failsNamingIt() throws Exception {
    Path junk = dir.resolve("junk.db");
    Files.writeString(junk, "this is not sqlite at all, just text ".repeat(200));
    assertThatThrownBy(() -> Store.open(junk, engine().ledger(), Duration.ofSeconds(1)))
        .isInstanceOf(StoreException.class).hasMessageContaining(junk.toString()).hasMessageContaining("not a usable store");
    assertThatThrownBy(() -> StoreReader.periods(dir.resolve("nope.db")))
        .isInstanceOf(StoreException.class).hasMessageContaining("no such store file");
  }

  @Test
  void aNewerSchema_isRefused() throws Exception {
    Path file = dir.resolve("newer.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> Store.open(file, engine().ledger(), Duration.ofSeconds(1)))
        .hasMessageContaining("schema version 99");
  }

  @Test
  void trend_isKeptPerEndpoint_andSurvivesRestart() {
    Path file = dir.resolve("trend.db");
    ParityEngine e = engine();
    Store store = Store.open(file, e.ledger(), Duration.ofMinutes(5), Duration.ofMillis(1), java.time.Clock.systemUTC());
    traffic(e);
    store.flushNow();
    e.process(exchange("/api/orders/1", "{\"average\":937}", "{\"average\":937.5}"));
    sleep(5);
    store.flushNow();
    List<Store.TrendPoint> points = store.trend().get("GET /api/orders/{id}");
    assertThat(points).hasSize(2);
    assertThat(points.get(0).trials()).isEqualTo(8);
    assertThat(points.get(1).failures()).isEqualTo(9);
    sleep(5);
    assertThat(store.flushNow()).as("an idle store writes no trend point").isZero();
    e.process(exchange("/api/orders/2", "{\"average\":937}", "{\"average\":937}"));
    store.close();
    ParityEngine again = engine();
    Store reopened = Store.open(file, again.ledger(), Duration.ofMinutes(5));
    // close wrote one more point (the interval is 1 ms here, and the orders moved); all of them come back
    assertThat(reopened.trend().get("GET /api/orders/{id}")).hasSize(3).first().extracting(Store.TrendPoint::trials).isEqualTo(8L);
    reopened.close();
  }

  @Test
  void gate_provenFailingUnproven_andUnknownEndpoints() {
    ParityEngine e = engine();
    traffic(e);
    Report r = e.ledger().report();
    // 0 of 50 proves a rate under 20% at 95% (the confidence sequence needs 26 clean ones), not one under 1%
    VerdictConfig tenPercent = new VerdictConfig(0.20, 0.95, 30L);
    assertThat(Gate.evaluate(r, List.of("GET /api/users/{id}"), VerdictConfig.DEFAULTS).endpoints().get(0).verdict())
        .isEqualTo(Verdict.UNPROVEN);
    Gate.Result users = Gate.evaluate(r, List.of("GET /api/users/{id}"), tenPercent);
    assertThat(users.passed()).isTrue();
    assertThat(users.endpoints().get(0).verdict()).isEqualTo(Verdict.PROVEN);
    Gate.Result all = Gate.evaluate(r, List.of(), tenPercent);
    assertThat(all.passed()).isFalse();
    assertThat(all.endpoints()).extracting(Gate.Check::verdict).contains(Verdict.FAILING, Verdict.PROVEN);
    assertThat(all.endpoints().stream().filter(c -> c.verdict() == Verdict.FAILING).findFirst().orElseThrow().reason())
        .contains("8 of 8 exchanges failed").contains("over the allowed 20.00%");
    // 50 matches prove nothing when 100 are required
    Gate.Result strict = Gate.evaluate(r, List.of("GET /api/users/{id}"), new VerdictConfig(0.20, 0.95, 100L));
    assertThat(strict.passed()).isFalse();
    assertThat(strict.endpoints().get(0).verdict()).isEqualTo(Verdict.UNPROVEN);
    assertThat(strict.endpoints().get(0).cleanNeeded()).isEqualTo(50);
    assertThat(strict.endpoints().get(0).reason()).contains("0 of 50 exchanges failed").contains("50 more clean exchanges would prove it");
    Gate.Result unknown = Gate.evaluate(r, List.of("GET /nowhere"), VerdictConfig.DEFAULTS);
    assertThat(unknown.passed()).isFalse();
    assertThat(unknown.endpoints().get(0).reason()).contains("never seen");
    assertThat(Gate.evaluate(new Ledger(CONFIG.verdict(), CONFIG.limits()).report(), List.of(), VerdictConfig.DEFAULTS).passed())
        .as("no evidence at all never passes").isFalse();
  }

  /** A fresh ledger holding a period of the file (the newest when null). */
  private static Ledger read(Path file, Long period) {
    Ledger ledger = new Ledger(CONFIG.verdict(), CONFIG.limits());
    StoreReader.read(file, period, ledger);
    return ledger;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  private static long rows(Path file, String table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aPeriodStartedByAnotherProcess_isAdoptedAtTheNextFlush_afterTheOldOneGotItsCounts() {
    Path file = dir.resolve("parity.db");
    ParityEngine running = engine();
    Store store = Store.open(file, running.ledger(), Duration.ofSeconds(30));
    traffic(running);
    long first = store.period();
    Period started = StoreReader.newPeriod(file, java.time.Clock.systemUTC());
    assertThat(started.id()).isGreaterThan(first);
    // counted after the reset but before the tap noticed: written to the period that ended
    running.process(exchange("/api/users/99", "{\"a\":1}", "{\"a\":1}"));
    store.flushNow();
    assertThat(store.period()).isEqualTo(started.id());
    assertThat(running.ledger().report().endpoints()).isEmpty();
    running.process(exchange("/api/users/100", "{\"a\":1}", "{\"a\":2}"));
    store.close();

    Ledger old = new Ledger(CONFIG.verdict(), CONFIG.limits());
    StoreReader.read(file, first, old);
    assertThat(old.report().endpoint("GET /api/users/{id}").compared()).isEqualTo(51);
    Ledger current = new Ledger(CONFIG.verdict(), CONFIG.limits());
    assertThat(StoreReader.read(file, null, current).id()).isEqualTo(started.id());
    assertThat(current.report().endpoint("GET /api/users/{id}").compared()).isEqualTo(1);
    assertThat(current.report().endpoint("GET /api/users/{id}").mismatched()).isEqualTo(1);
    assertThat(StoreReader.periods(file)).extracting(Period::id).containsExactly(first, started.id());
    assertThat(StoreReader.periods(file).get(0).endedAt()).isNotNull();
    assertThat(StoreReader.periods(file).get(1).endedAt()).isNull();
  }

  @Test
  void readers_neverWriteToTheFile_andRefuseFilesThatAreNotStores() throws Exception {
    Path empty = dir.resolve("empty.db");
    Files.write(empty, new byte[0]);
    assertThatThrownBy(() -> StoreReader.periods(empty)).isInstanceOf(StoreException.class).hasMessageContaining("not a parity store");
    assertThatThrownBy(() -> StoreReader.newPeriod(empty, java.time.Clock.systemUTC())).hasMessageContaining("not a parity store");
    assertThat(Files.size(empty)).as("nothing written to it").isZero();
    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (t TEXT)");
    }
    byte[] before = Files.readAllBytes(other);
    assertThatThrownBy(() -> StoreReader.read(other, null, new Ledger(CONFIG.verdict(), CONFIG.limits())))
        .hasMessageContaining("not a parity store");
    assertThat(Files.readAllBytes(other)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("other.db-wal"))).isFalse();
  }

  @Test
  void anAdminResetEndsAPeriodAnotherProcessOpened_too() {
    Path file = dir.resolve("race.db");
    ParityEngine running = engine();
    Store store = Store.open(file, running.ledger(), Duration.ofHours(1));
    StoreReader.newPeriod(file, java.time.Clock.systemUTC()); // not adopted yet: no flush since
    Period admin = store.newPeriod(running::reset);
    store.close();
    List<Period> all = StoreReader.periods(file);
    assertThat(all).hasSize(3);
    assertThat(all).filteredOn(p -> p.endedAt() == null).extracting(Period::id).containsExactly(admin.id());
  }

  @Test
  void newPeriodOfAMissingFile_saysSo() {
    assertThatThrownBy(() -> StoreReader.newPeriod(dir.resolve("nope.db"), java.time.Clock.systemUTC()))
        .isInstanceOf(StoreException.class).hasMessageContaining("no such store file");
  }

  /** A clock the test moves. */
  private static final class MovingClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void theFileKeepsTheNewestTrendPointsPerEndpoint_asThePageShows() throws Exception {
    Path file = dir.resolve("prune.db");
    MovingClock clock = new MovingClock();
    ParityEngine e = engine();
    Store store = Store.open(file, e.ledger(), Duration.ofHours(1), Duration.ofSeconds(10), clock);
    e.process(exchange("/api/users/1", "{\"a\":1}", "{\"a\":1}"));
    for (int i = 1; i <= Store.TREND_POINTS + 5; i++) {
      e.process(exchange("/api/orders/" + i, "{\"average\":937}", "{\"average\":937}"));
      store.flushNow();
      clock.now = clock.now.plusSeconds(10);
    }
    store.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT endpoint, min(trials), max(trials), count(*) FROM trend GROUP BY endpoint ORDER BY endpoint")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("GET /api/orders/{id}");
      assertThat(rs.getLong(2)).isEqualTo(6);
      assertThat(rs.getLong(3)).isEqualTo(Store.TREND_POINTS + 5);
      assertThat(rs.getLong(4)).isEqualTo(Store.TREND_POINTS);
      // the users endpoint never moved after its first point: that one point stays, however old
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("GET /api/users/{id}");
      assertThat(rs.getLong(4)).isEqualTo(1);
    }
  }

  /** A flush that cannot write (another process holds the file's write lock) is a state, not just a log line. */
  @Test
  void aFailingFlush_isKnownUntilOneSucceedsAgain() throws Exception {
    Path file = dir.resolve("locked.db");
    ParityEngine e = engine();
    try (Store store = Store.open(file, e.ledger(), Duration.ofMillis(50))) {
      e.process(exchange("/api/users/1", "{\"a\":1}", "{\"a\":1}"));
      assertThat(store.flushNow()).isPositive();
      assertThat(store.flushProblem()).isNull();
      try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
          java.sql.Statement st = other.createStatement()) {
        st.execute("BEGIN EXCLUSIVE");
        e.process(exchange("/api/users/2", "{\"a\":1}", "{\"a\":2}"));
        dev.shadowparity.Await.until(() -> store.flushProblem() != null, Duration.ofSeconds(30),
            "the writer met the lock (after its 5 s busy timeout)");
        assertThat(store.failedFlushes()).isPositive();
        st.execute("ROLLBACK");
      }
      dev.shadowparity.Await.until(() -> store.flushProblem() == null, Duration.ofSeconds(30),
          "the next flush wrote what memory held");
    }
    Ledger reread = read(file, null);
    assertThat(reread.report().endpoint("GET /api/users/{id}").compared()).isEqualTo(2);
  }

  /**
   * A file written by the parity before fleets (schema 1: counts without a tap) is migrated in place when a tap opens
   * it: every count and sample is kept and counting goes on.
   */
  @Test
  void aVersion1File_isMigrated_keepingEveryCountAndSample() throws Exception {
    Path file = dir.resolve("v1.db");
    ParityEngine before = engine();
    traffic(before);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement st = c.createStatement()) {
      // schema 1 as it shipped
      st.execute("CREATE TABLE periods (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT)");
      st.execute("CREATE TABLE counts (period INTEGER NOT NULL REFERENCES periods(id), endpoint TEXT NOT NULL,"
          + " family TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,"
          + " PRIMARY KEY (period, endpoint, family, key)) WITHOUT ROWID");
      st.execute("CREATE TABLE samples (id INTEGER PRIMARY KEY, period INTEGER NOT NULL REFERENCES periods(id),"
          + " endpoint TEXT NOT NULL, at TEXT NOT NULL, sample TEXT NOT NULL)");
      st.execute("CREATE INDEX samples_by_period ON samples (period, endpoint)");
      st.execute("CREATE TABLE trend (period INTEGER NOT NULL REFERENCES periods(id), at TEXT NOT NULL, endpoint TEXT NOT NULL,"
          + " trials INTEGER NOT NULL, failures INTEGER NOT NULL)");
      st.execute("CREATE INDEX trend_by_period ON trend (period, endpoint, at)");
      st.execute("INSERT INTO periods (id, started_at) VALUES (1, '2026-11-30T10:00:00Z')");
      try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO counts VALUES (1, ?, ?, ?, ?)")) {
        before.ledger().exportCounts((endpoint, family, key, value) -> {
          try {
            ps.setString(1, endpoint);
            ps.setString(2, family);
            ps.setString(3, StoreFile.keyText(key));
            ps.setLong(4, value);
            ps.executeUpdate();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
      try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO samples (period, endpoint, at, sample) VALUES (1, ?, ?, ?)")) {
        before.ledger().exportSamples((endpoint, sample) -> {
          try {
            ps.setString(1, endpoint);
            ps.setString(2, sample.at().toString());
            ps.setString(3, StoreFile.sampleText(sample));
            ps.executeUpdate();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        });
      }
      st.execute("INSERT INTO trend VALUES (1, '2026-11-30T10:00:10Z', 'GET /api/orders/{id}', 3, 3)");
      st.execute("PRAGMA user_version = 1");
    }
    assertThatThrownBy(() -> StoreReader.read(file, null, new Ledger(CONFIG.verdict(), CONFIG.limits())))
        .hasMessageContaining("schema version 1").hasMessageContaining("open it once with this parity's tap");

    ParityEngine after = engine();
    Store store = Store.open(file, after.ledger(), Duration.ofHours(1));
    assertThat(comparable(after.ledger().report())).isEqualTo(comparable(before.ledger().report()));
    assertThat(store.trend().get("GET /api/orders/{id}")).hasSize(1);
    after.process(exchange("/api/orders/1", "{\"average\":937}", "{\"average\":937.5}"));
    store.close();

    Ledger read = new Ledger(CONFIG.verdict(), CONFIG.limits());
    StoreReader.read(file, null, read);
    assertThat(read.report().endpoint("GET /api/orders/{id}").compared()).isEqualTo(8);
    assertThat(comparable(read.report())).isEqualTo(comparable(after.ledger().report()));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(Schema.VERSION);
    }
  }
}
