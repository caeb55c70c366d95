package dev.shadowparity.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.report.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence kept in one SQLite file: the ledger's counts and samples per evidence period, and a trend of
 * each endpoint's rate. One writer thread ({@code parity-store}) writes what changed since the last flush, in
 * one transaction per flush, off the event loop; the file is in WAL mode, so a {@code kill -9} loses at most the
 * last flush interval and never leaves a file that cannot be opened. Opening a file loads its current period
 * into the ledger, so counts continue across restarts.
 */
public final class Store implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  /** Trend points kept per endpoint, in memory (served) and in the file. */
  public static final int TREND_POINTS = 60;
  public static final Duration DEFAULT_TREND_INTERVAL = Duration.ofSeconds(10);
  private static final char SEP = '\u0000';
  private static final ObjectMapper MAPPER = ReportJson.mapper().copy()
      .disable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule("parity-store").addDeserializer(Instant.class, new InstantText()));
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final String name;
  private final Connection db;
  private final Ledger ledger;
  private final Clock clock;
  private final Duration trendInterval;
  private final ScheduledExecutorService writer;
  /** Values last written, by endpoint, family and key; only the writer thread touches them. */
  private final Map<String, Long> written = new HashMap<>();
  private final Set<Sample> writtenSamples = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, ArrayDeque<TrendPoint>> trend = new TreeMap<>();
  private final AtomicLong failedFlushes = new AtomicLong();
  /** Why the last flush failed; null when it succeeded (or none ran yet). */
  private volatile String flushProblem;
  private final dev.shadowparity.ledger.ProblemLog problems = new dev.shadowparity.ledger.ProblemLog(LOG);
  private volatile long period;
  /** Empties the ledger when another process (parity report --reset) started a newer period. */
  private volatile Runnable externalReset;
  private Instant lastTrend = Instant.EPOCH;
  private boolean closed;

  /** One point of an endpoint's trend: its trials and failures so far, at a time. */
  public record TrendPoint(Instant at, long trials, long failures) {}

  private Store(String name, Connection db, Ledger ledger, Clock clock, Duration trendInterval) {
    this.name = name;
    this.db = db;
    this.ledger = ledger;
    this.clock = clock;
    this.trendInterval = trendInterval;
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parity-store");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (or creates) a store and loads its current period into the ledger, which should be empty; then
   * flushes every {@code flushInterval}.
   *
   * @param file the SQLite file, {@code null} for a store in memory (the trend and periods, nothing kept)
   */
  public static Store open(Path file, Ledger ledger, Duration flushInterval) {
    return open(file, ledger, flushInterval, DEFAULT_TREND_INTERVAL, Clock.systemUTC());
  }

  public static Store open(Path file, Ledger ledger, Duration flushInterval, Duration trendInterval, Clock clock) {
    String name = file == null ? "(memory)" : file.toString();
    Connection c = connect(file);
    Store s = new Store(name, c, ledger, clock, trendInterval);
    s.externalReset = file == null ? null : ledger::reset;
    try {
      s.period = currentPeriod(c, clock);
      s.loadCurrentPeriod();
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c, name);
      throw e instanceof StoreException se ? se : new StoreException(name + ": cannot load the stored evidence: " + e.getMessage(), e);
    }
    long ms = flushInterval.toMillis();
    s.writer.scheduleWithFixedDelay(s::flushLogged, ms, ms, TimeUnit.MILLISECONDS);
    LOG.info("evidence store {} (period {}, flushed every {} ms)", name, s.period, ms);
    return s;
  }

  /**
   * A read-only connection to an existing store at this schema version: nothing is written to the file (no journal
   * mode change, no migration), so reading never alters a file a tap is writing or one of another application.
   */
  private static Connection connectReadOnly(Path file) {
    requireExisting(file);
    try {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(5000);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      try {
        Schema.requireCurrent(c, file.toString());
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c, file.toString());
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw new StoreException(file + ": not a readable store: " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) {
    String name = file == null ? "(memory)" : file.toString();
    try {
      if (file != null && file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Connection c = DriverManager.getConnection(file == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + file);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 5000");
        if (file != null) {
          st.execute("PRAGMA journal_mode = WAL");
          st.execute("PRAGMA synchronous = NORMAL");
        }
        st.execute("PRAGMA foreign_keys = ON");
      }
      Schema.migrate(c, name);
      return c;
    } catch (SQLException e) {
      throw new StoreException(name + ": not a usable store: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StoreException(name + ": cannot create its folder: " + e.getMessage(), e);
    }
  }

  private static long currentPeriod(Connection c, Clock clock) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM periods WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")) {
      if (rs.next()) {
        return rs.getLong(1);
      }
    }
    return insertPeriod(c, clock.instant());
  }

  private static long insertPeriod(Connection c, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO periods (started_at) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, at.toString());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * What empties the ledger when another process starts a newer period in the same file ({@code parity report
   * --reset} while the tap runs): by default the ledger's own reset; the tap passes its engine's.
   */
  public void onExternalReset(Runnable reset) {
    if (externalReset != null) {
      externalReset = reset;
    }
  }

  /**
   * Starts a new evidence period in a store file from outside the tap ({@code parity report --reset}): ends the open
   * one and opens the next. A tap writing the file notices at its next flush: what it counted until then is written
   * to the period that ended, and it goes on in the new one with an empty ledger.
   *
   * @return the new period
   */
  public static Period newPeriod(Path file, Clock clock) {
    closeQuietly(connectReadOnly(file), file.toString()); // a parity store at this version, or a message
    Connection c = connect(file);
    try {
      Instant now = clock.instant();
      long id = Schema.inTransaction(c, () -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE periods SET ended_at = ? WHERE ended_at IS NULL")) {
          ps.setString(1, now.toString());
          ps.executeUpdate();
        }
        return insertPeriod(c, now);
      });
      LOG.info("store {}: new evidence period {}", file, id);
      return new Period(id, now, null);
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot start a new period: " + e.getMessage(), e);
    } finally {
      closeQuietly(c, file.toString());
    }
  }

  /** Loads the current period's counts, samples and trend into the ledger, remembering them as written. */
  private void loadCurrentPeriod() throws SQLException {
    load(db, name, period, ledger, written, writtenSamples);
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT at, endpoint, trials, failures FROM trend WHERE period = ? ORDER BY at")) {
      ps.setLong(1, period);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          addTrend(rs.getString(2), new TrendPoint(Instant.parse(rs.getString(1)), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
  }

  private static void load(Connection db, String name, long periodId, Ledger into, Map<String, Long> written,
      Set<Sample> samples) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT endpoint, family, key, value FROM counts WHERE period = ?")) {
      ps.setLong(1, periodId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String endpoint = rs.getString(1);
          String family = rs.getString(2);
          String key = rs.getString(3);
          try {
            into.loadCount(endpoint, family, MAPPER.readValue(key, STRINGS), rs.getLong(4));
          } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(name + ": period " + periodId + ", endpoint " + endpoint + ", count " + family + " "
                + key + ": " + e.getMessage(), e);
          }
          if (written != null) {
            written.put(endpoint + SEP + family + SEP + key, rs.getLong(4));
          }
        }
      }
    }
    try (PreparedStatement ps = db.prepareStatement("SELECT id, endpoint, sample FROM samples WHERE period = ? ORDER BY id")) {
      ps.setLong(1, periodId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Sample sample;
          try {
            sample = MAPPER.readValue(rs.getString(3), Sample.class);
          } catch (JsonProcessingException e) {
            throw new StoreException(name + ": sample " + rs.getLong(1) + " is not readable: " + e.getOriginalMessage(), e);
          }
          if (into.loadSample(rs.getString(2), sample) && samples != null) {
            samples.add(sample);
          }
        }
      }
    }
  }

  /** The periods of a store file, oldest first. */
  public static List<Period> periods(Path file) {
    Connection c = connectReadOnly(file);
    try {
      return periods(c);
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot list the periods: " + e.getMessage(), e);
    } finally {
      closeQuietly(c, file.toString());
    }
  }

  private static List<Period> periods(Connection c) throws SQLException {
    List<Period> list = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, started_at, ended_at FROM periods ORDER BY id")) {
      while (rs.next()) {
        String end = rs.getString(3);
        list.add(new Period(rs.getLong(1), Instant.parse(rs.getString(2)), end == null ? null : Instant.parse(end)));
      }
    }
    return list;
  }

  /**
   * Reads a period of a store file (the newest when {@code periodId} is null) into a ledger, for reports and
   * the gate. A running tap may be writing the file: what it flushed so far is read.
   *
   * @return the period read
   */
  public static Period read(Path file, Long periodId, Ledger into) {
    Connection c = connectReadOnly(file);
    try {
      List<Period> all = periods(c);
      if (all.isEmpty()) {
        throw new StoreException(file + ": the store holds no evidence period yet");
      }
      Period p = periodId == null ? all.get(all.size() - 1)
          : all.stream().filter(x -> x.id() == periodId).findFirst().orElseThrow(() -> new StoreException(file
              + ": no period " + periodId + " (the store has periods " + all.get(0).id() + " to " + all.get(all.size() - 1).id() + ")"));
      load(c, file.toString(), p.id(), into, null, null);
      return p;
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot read the evidence: " + e.getMessage(), e);
    } finally {
      closeQuietly(c, file.toString());
    }
  }

  private static void requireExisting(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException(file + ": no such store file (a tap writes it with --store)");
    }
  }

  private void flushLogged() {
    try {
      flush();
      adoptNewerPeriod();
      flushProblem = null;
    } catch (SQLException | RuntimeException e) {
      failedFlushes.incrementAndGet();
      flushProblem = e.toString();
      // once per kind with its stack, then at most once a minute: a full disk fails every flush, every second
      problems.failed(name, "flushing the store", e, "the evidence stays in memory and the next flush tries again");
    }
  }

  /**
   * Writes what changed since the last flush, in one transaction; on the writer thread only.
   *
   * @return the rows written: changed counts, new samples and trend points
   */
  private int flush() throws SQLException {
    if (closed) {
      return 0;
    }
    List<Object[]> changed = new ArrayList<>();
    ledger.exportCounts((endpoint, family, key, value) -> {
      String keyText = keyText(key);
      String id = endpoint + SEP + family + SEP + keyText;
      Long before = written.get(id);
      if (before == null || before != value) {
        changed.add(new Object[] {id, endpoint, family, keyText, value});
      }
    });
    List<Map.Entry<String, Sample>> samples = new ArrayList<>();
    ledger.exportSamples((endpoint, sample) -> {
      if (!writtenSamples.contains(sample)) {
        samples.add(Map.entry(endpoint, sample));
      }
    });
    Instant now = clock.instant();
    boolean trendDue = !now.isBefore(lastTrend.plus(trendInterval));
    // a point only for endpoints whose counts moved since their last one: an idle tap writes nothing
    List<EndpointReport> points = trendDue ? ledger.report().endpoints().stream().filter(this::movedSinceLastPoint).toList()
        : List.of();
    if (changed.isEmpty() && samples.isEmpty() && points.isEmpty()) {
      return 0;
    }
    Schema.inTransaction(db, () -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO counts (period, endpoint, family, key, value) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (period, endpoint, family, key) DO UPDATE SET value = excluded.value")) {
        for (Object[] row : changed) {
          ps.setLong(1, period);
          ps.setString(2, (String) row[1]);
          ps.setString(3, (String) row[2]);
          ps.setString(4, (String) row[3]);
          ps.setLong(5, (Long) row[4]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO samples (period, endpoint, at, sample) VALUES (?, ?, ?, ?)")) {
        for (Map.Entry<String, Sample> e : samples) {
          ps.setLong(1, period);
          ps.setString(2, e.getKey());
          ps.setString(3, e.getValue().at().toString());
          ps.setString(4, sampleText(e.getValue()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO trend (period, at, endpoint, trials, failures) VALUES (?, ?, ?, ?, ?)")) {
        for (EndpointReport r : points) {
          ps.setLong(1, period);
          ps.setString(2, now.toString());
          ps.setString(3, r.endpoint());
          ps.setLong(4, r.trials());
          ps.setLong(5, r.failures());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      // the file keeps what the page shows, the newest TREND_POINTS per endpoint, so a long rollout does not grow it
      try (PreparedStatement ps = db.prepareStatement("DELETE FROM trend WHERE period = ?1 AND endpoint = ?2 AND rowid NOT IN"
          + " (SELECT rowid FROM trend WHERE period = ?1 AND endpoint = ?2 ORDER BY at DESC LIMIT ?3)")) {
        for (EndpointReport r : points) {
          ps.setLong(1, period);
          ps.setString(2, r.endpoint());
          ps.setInt(3, TREND_POINTS);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
    for (Object[] row : changed) {
      written.put((String) row[0], (Long) row[4]);
    }
    samples.forEach(e -> writtenSamples.add(e.getValue()));
    if (trendDue) {
      lastTrend = now;
      points.forEach(r -> addTrend(r.endpoint(), new TrendPoint(now, r.trials(), r.failures())));
    }
    return changed.size() + samples.size() + points.size();
  }

  private boolean movedSinceLastPoint(EndpointReport r) {
    synchronized (trend) {
      ArrayDeque<TrendPoint> q = trend.get(r.endpoint());
      TrendPoint last = q == null ? null : q.peekLast();
      return last == null || last.trials() != r.trials() || last.failures() != r.failures();
    }
  }

  private void addTrend(String endpoint, TrendPoint p) {
    synchronized (trend) {
      ArrayDeque<TrendPoint> q = trend.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
      q.addLast(p);
      while (q.size() > TREND_POINTS) {
        q.removeFirst();
      }
    }
  }

  /** Each endpoint's newest trend points, oldest first. */
  public Map<String, List<TrendPoint>> trend() {
    synchronized (trend) {
      Map<String, List<TrendPoint>> copy = new LinkedHashMap<>();
      trend.forEach((e, q) -> copy.put(e, List.copyOf(q)));
      return copy;
    }
  }

  public Duration trendInterval() {
    return trendInterval;
  }

  private static String keyText(List<String> key) {
    try {
      return MAPPER.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serializes", e);
    }
  }

  private static String sampleText(Sample s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a sample always serializes", e);
    }
  }

  /**
   * After a flush: when another process started a newer period, empties the ledger and goes on in it (the counts of
   * the period that ended were just written to it).
   */
  private void adoptNewerPeriod() throws SQLException {
    if (externalReset == null || closed) {
      return;
    }
    long newest;
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM periods WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")) {
      if (!rs.next()) {
        return;
      }
      newest = rs.getLong(1);
    }
    if (newest == period) {
      return;
    }
    externalReset.run();
    switchTo(newest);
    LOG.info("store {}: another process started evidence period {}; counting goes on there", name, newest);
  }

  private void switchTo(long next) {
    period = next;
    written.clear();
    writtenSamples.clear();
    synchronized (trend) {
      trend.clear();
    }
    lastTrend = Instant.EPOCH;
  }

  /**
   * Writes now and waits for it (at most 30 s).
   *
   * @return the rows written: changed counts, new samples and trend points
   */
  public int flushNow() {
    return onWriter(() -> {
      int rows = flush();
      adoptNewerPeriod();
      return rows;
    });
  }

  /**
   * Ends the current period and starts a new one: flushes, marks the period ended, then runs {@code reset} (which
   * should empty the ledger) on the writer thread, so no flush falls between.
   *
   * @return the new period
   */
  public Period newPeriod(Runnable reset) {
    return onWriter(() -> {
      flush();
      Instant now = clock.instant();
      long next = Schema.inTransaction(db, () -> {
        // every open period: one another process opened and this tap has not adopted yet ends too
        try (PreparedStatement ps = db.prepareStatement("UPDATE periods SET ended_at = ? WHERE ended_at IS NULL")) {
          ps.setString(1, now.toString());
          ps.executeUpdate();
        }
        return insertPeriod(db, now);
      });
      reset.run();
      switchTo(next);
      LOG.info("store {}: new evidence period {}", name, next);
      return new Period(next, now, null);
    });
  }

  /** The periods of this store, oldest first. */
  public List<Period> periods() {
    return onWriter(() -> periods(db));
  }

  /** The id of the current period. */
  public long period() {
    return period;
  }

  /** Flushes that failed so far (each logged). */
  /** Why the last flush failed, or null when it succeeded: {@code /health} and {@code parity_store_flush_ok} show it. */
  public String flushProblem() {
    return flushProblem;
  }

  public long failedFlushes() {
    return failedFlushes.get();
  }

  private <T> T onWriter(Schema.SqlWork<T> work) {
    try {
      return writer.submit(() -> {
        try {
          return work.run();
        } catch (SQLException e) {
          throw new StoreException(name + ": " + e.getMessage(), e);
        }
      }).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new StoreException(name + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new StoreException(name + ": the store did not answer within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(name + ": interrupted", e);
    }
  }

  /** Writes what is left and closes the file. */
  @Override
  public void close() {
    if (writer.isShutdown()) {
      return;
    }
    try {
      onWriter(() -> {
        flush();
        closed = true;
        return null;
      });
    } finally {
      writer.shutdown();
      try {
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("store {}: the writer did not stop within 10 s", name);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(db, name);
    }
  }

  private static void closeQuietly(Connection c, String name) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.warn("store {}: closing the file failed: {}", name, e.getMessage());
    }
  }

  /** Reads the ISO-8601 text that the report mapper writes for an instant. */
  private static final class InstantText extends StdDeserializer<Instant> {
    InstantText() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      return Instant.parse(p.getValueAsString());
    }
  }
}
