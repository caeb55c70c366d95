package dev.shadowparity.store;

import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.report.Sample;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Why one file of this length: the writer thread's flush, period adoption and shutdown share the written-values
 * cache and the connection; the file, the CLI's reads and the trend are apart.
 */
public final class Store implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  /** Trend points kept per endpoint, in memory (served) and in the file. */
  public static final int TREND_POINTS = 60;
  public static final Duration DEFAULT_TREND_INTERVAL = Duration.ofSeconds(10);

  private final String name;
  private final Connection db;
  private final Ledger ledger;
  private final Clock clock;
  private final ScheduledExecutorService writer;
  /** Values last written, by endpoint, family and key; only the writer thread touches them. */
  private final Map<String, Long> written = new HashMap<>();
  private final Set<Sample> writtenSamples = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Trend trend;
  private final AtomicLong failedFlushes = new AtomicLong();
  /** Why the last flush failed; null when it succeeded (or none ran yet). */
  private volatile String flushProblem;
  private final dev.shadowparity.ledger.ProblemLog problems = new dev.shadowparity.ledger.ProblemLog(LOG);
  private volatile long period;
  /** Empties the ledger when another process (parity report --reset) started a newer period. */
  private final Runnable externalReset;
  private boolean closed;
  /** The file, or null for a store in memory. */
  private final Path file;
  private final Instant openedAt = Instant.now();

  /** One point of an endpoint's trend: its trials and failures so far, at a time. */
  public record TrendPoint(Instant at, long trials, long failures) {}

  private Store(String name, Connection db, Ledger ledger, Clock clock, Duration trendInterval, Path file,
      Runnable externalReset) {
    this.name = name;
    this.file = file;
    this.externalReset = externalReset;
    this.db = db;
    this.ledger = ledger;
    this.clock = clock;
    this.trend = new Trend(trendInterval);
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
    return open(file, ledger, flushInterval, ledger::reset);
  }

  /**
   * As {@link #open(Path, Ledger, Duration)}, with what empties the ledger when another process starts a newer
   * period in the same file ({@code parity report --reset} while the tap runs): the tap passes its engine's reset,
   * which also resets the endpoint cap and the metrics' baselines.
   */
  public static Store open(Path file, Ledger ledger, Duration flushInterval, Runnable onNewerPeriod) {
    return open(file, ledger, flushInterval, DEFAULT_TREND_INTERVAL, Clock.systemUTC(), onNewerPeriod);
  }

  public static Store open(Path file, Ledger ledger, Duration flushInterval, Duration trendInterval, Clock clock) {
    return open(file, ledger, flushInterval, trendInterval, clock, ledger::reset);
  }

  private static Store open(Path file, Ledger ledger, Duration flushInterval, Duration trendInterval, Clock clock,
      Runnable onNewerPeriod) {
    String name = file == null ? "(memory)" : file.toString();
    Connection c = StoreFile.connect(file);
    Store s = new Store(name, c, ledger, clock, trendInterval, file, file == null ? null : onNewerPeriod);
    try {
      s.period = StoreFile.currentPeriod(c, clock);
      s.loadCurrentPeriod();
    } catch (SQLException | RuntimeException e) {
      StoreFile.closeQuietly(c, name);
      throw e instanceof StoreException se ? se : new StoreException(name + ": cannot load the stored evidence: " + e.getMessage(), e);
    }
    long ms = flushInterval.toMillis();
    // at a fixed rate (start to start): what is counted right after one flush's snapshot waits one interval, not an
    // interval plus that flush's own time, for the next
    s.writer.scheduleAtFixedRate(s::flushLogged, ms, ms, TimeUnit.MILLISECONDS);
    LOG.info("evidence store {} (period {}, flushed every {} ms)", name, s.period, ms);
    return s;
  }

  /** Loads the current period's counts, samples and trend into the ledger, remembering them as written. */
  private void loadCurrentPeriod() throws SQLException {
    StoreFile.load(db, name, period, ledger, written, writtenSamples);
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT at, endpoint, trials, failures FROM trend WHERE period = ? ORDER BY at")) {
      ps.setLong(1, period);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          trend.add(rs.getString(2), new TrendPoint(Instant.parse(rs.getString(1)), rs.getLong(3), rs.getLong(4)));
        }
      }
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
      String keyText = StoreFile.keyText(key);
      String id = endpoint + StoreFile.SEP + family + StoreFile.SEP + keyText;
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
    boolean trendDue = trend.isDue(now);
    // a point only for endpoints whose counts moved since their last one: an idle tap writes nothing
    List<Ledger.VerdictCounts> points = trendDue ? trend.moved(ledger.verdictCounts()) : List.of();
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
          ps.setString(4, StoreFile.sampleText(e.getValue()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      Trend.write(db, period, now, points);
      return null;
    });
    for (Object[] row : changed) {
      written.put((String) row[0], (Long) row[4]);
    }
    samples.forEach(e -> writtenSamples.add(e.getValue()));
    if (trendDue) {
      trend.taken(now, points);
    }
    return changed.size() + samples.size() + points.size();
  }

  /** Each endpoint's newest trend points, oldest first. */
  public Map<String, List<TrendPoint>> trend() {
    return trend.snapshot();
  }

  public Duration trendInterval() {
    return trend.interval();
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
    trend.clear();
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
        return StoreFile.insertPeriod(db, now);
      });
      reset.run();
      switchTo(next);
      LOG.info("store {}: new evidence period {}", name, next);
      return new Period(next, now, null);
    });
  }

  /** The periods of this store, oldest first. */
  public List<Period> periods() {
    return onWriter(() -> StoreFile.periods(db));
  }

  /**
   * Names the evidence this store holds now, for a report's source: {@link StoreReader#source} for a file (the same
   * name a CLI reading it gives), else this tap's memory since it started.
   */
  public String source() {
    return file == null ? "memory " + StoreReader.host() + " opened " + openedAt + " period " + period
        : StoreReader.source(file, period);
  }

  /** The id of the current period. */
  public long period() {
    return period;
  }

  /** Why the last flush failed, or null when it succeeded: {@code /health} and {@code parity_store_flush_ok} show it. */
  public String flushProblem() {
    return flushProblem;
  }

  /** Flushes that failed so far (logged once per kind, then at most once a minute). */
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
      StoreFile.closeQuietly(db, name);
    }
  }

}
