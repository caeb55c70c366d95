package dev.shadowparity.store;

import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.LedgerCounts;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evidence of one tap, written to an SQLite file (or memory) or to a PostgreSQL database shared by a fleet of
 * taps: the ledger's counts and samples per evidence period, and a trend of each endpoint's rate. One writer thread
 * ({@code parity-store}) writes what changed since the last flush, in one transaction per flush, off the event loop.
 *
 * <p><b>Exactly once.</b> Each count row belongs to one tap ({@code --tap-id}) and a flush <em>adds</em> what this
 * process counted since its last committed flush, so many taps writing one database sum exactly. Every flush also
 * advances this process's sequence number in {@code writers} in the same transaction: when a flush fails in a way
 * that leaves its outcome unknown (the connection dropped during the commit), the next attempt reads the sequence
 * back and knows whether that flush committed, so nothing is written twice or lost. While the database cannot be
 * reached the ledger keeps counting in memory; attempts back off (doubling to 30 s), {@link #flushProblem()} and
 * {@link #pendingRows()} say so, and the first flush that succeeds writes everything pending.
 *
 * <p><b>Periods.</b> A reset (here, or another process's {@code parity report --reset}) ends the period; the
 * ledger hands back what it counted until then ({@link Ledger.Retired}), which is written to the period that ended,
 * so a reset in the middle of traffic loses nothing.
 *
 * <p>Opening an SQLite file loads its current period into the ledger, so a tap's counts continue across restarts. A
 * PostgreSQL store loads nothing into the ledger: the tap counts what this process saw, the fleet's evidence is
 * read from the database ({@link StoreReader}), and a tap starts even while the database is down.
 */
public final class Store implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  /** Trend points kept per endpoint, in memory (served) and in the file. */
  public static final int TREND_POINTS = 60;
  public static final Duration DEFAULT_TREND_INTERVAL = Duration.ofSeconds(10);
  /** The longest wait between two attempts while the database fails. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** A PostgreSQL writer with nothing to write still says it is alive this often (the fleet view's "last seen"). */
  static final Duration HEARTBEAT = Duration.ofSeconds(30);

  private final Database db;
  private final String name;
  private final Ledger ledger;
  private final Clock clock;
  private final ScheduledExecutorService writer;
  private final String tapId;
  /** This process as a writer: its tap id and a random part, so two processes never share a sequence. */
  private final String instance;
  private final Duration flushInterval;
  /** Empties the ledger when another process started a newer period; null for a store in memory. */
  private final Supplier<Ledger.Retired> externalReset;
  private final Trend trend;
  private final AtomicLong failedFlushes = new AtomicLong();
  /** Flushes that wrote something, and the time they took (transaction and all), for the metrics and the bench. */
  private final AtomicLong writingFlushes = new AtomicLong();
  private final AtomicLong writingNanos = new AtomicLong();
  private final AtomicLong slowestNanos = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  /** Why the last attempt failed; null when it succeeded (or none ran yet). */
  private volatile String flushProblem;
  /** Rows the last failed attempt could not write (0 after a success). */
  private volatile long pendingRows;
  private final dev.shadowparity.ledger.ProblemLog problems = new dev.shadowparity.ledger.ProblemLog(LOG);
  private volatile long period = -1;
  private final Instant openedAt = Instant.now();

  // only the writer thread touches what follows
  private Connection connection;
  private boolean registered;
  /** The sequence number of this process's last committed flush. */
  private long sequence;
  /** A flush whose transaction failed: committed or not, the next attempt finds out first. */
  private Batch uncertain;
  /** Values as last written for the current period, by endpoint, family and key (the ledger's values). */
  private Map<String, Long> written = new HashMap<>();
  private Set<Sample> writtenSamples = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Counts of periods that ended, still to write to them. */
  private final Deque<Leftover> leftovers = new ArrayDeque<>();
  private int consecutiveFailures;
  private long nextAttemptNanos;
  private Instant lastWrite = Instant.EPOCH;
  private boolean closed;

  /** One point of an endpoint's trend: its trials and failures so far, at a time. */
  public record TrendPoint(Instant at, long trials, long failures) {}

  /** What a flush exports: the live ledger, or the counts of a period that ended. */
  private record Evidence(java.util.function.Consumer<LedgerCounts.Sink> counts,
      java.util.function.Consumer<BiConsumer<String, Sample>> samples) {}

  /** A period that ended, with what of it was written so far. */
  private record Leftover(Ledger.Retired retired, long period, Map<String, Long> written, Set<Sample> writtenSamples) {}

  /** One changed count: the ledger's value now, and what to add (or, for a maximum, the value itself). */
  private record Row(String id, String endpoint, String family, String key, long value, long write, boolean maximum) {}

  /** What one flush writes, and where its success is remembered. */
  private record Batch(long period, long sequence, List<Row> rows, List<Map.Entry<String, Sample>> samples,
      List<Ledger.VerdictCounts> points, boolean trendDue, Instant at, Map<String, Long> written,
      Set<Sample> writtenSamples) {
    boolean isEmpty() {
      return rows.isEmpty() && samples.isEmpty() && points.isEmpty();
    }

    int size() {
      return rows.size() + samples.size() + points.size();
    }
  }

  private Store(Database db, Ledger ledger, Clock clock, Duration trendInterval, Duration flushInterval, String tapId,
      Supplier<Ledger.Retired> externalReset) {
    this.db = db;
    this.name = db.name();
    this.ledger = ledger;
    this.clock = clock;
    this.trend = new Trend(trendInterval);
    this.flushInterval = flushInterval;
    this.tapId = tapId;
    this.instance = tapId + "/" + UUID.randomUUID();
    this.externalReset = externalReset;
    this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parity-store");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (or creates) a store file and loads its current period into the ledger, which should be empty; then
   * flushes every {@code flushInterval}.
   *
   * @param file the SQLite file, {@code null} for a store in memory (the trend and periods, nothing kept)
   */
  public static Store open(Path file, Ledger ledger, Duration flushInterval) {
    return open(file == null ? null : StoreLocation.of(file), StoreReader.host(), ledger, flushInterval, ledger::reset);
  }

  public static Store open(Path file, Ledger ledger, Duration flushInterval, Duration trendInterval, Clock clock) {
    return open(file == null ? null : StoreLocation.of(file), StoreReader.host(), ledger, flushInterval, trendInterval,
        clock, ledger::reset);
  }

  /**
   * Opens a store: a file (created, migrated, its current period loaded into the ledger), a PostgreSQL database
   * (connected, migrated; when it cannot be reached the tap starts anyway and the store keeps trying), or memory
   * ({@code null}).
   *
   * @param tapId         which tap writes (the host name by default): each row says so
   * @param onNewerPeriod empties the ledger when another process starts a newer period ({@code parity report
   *                      --reset} while the tap runs) and hands back what it held: the tap passes its engine's reset,
   *                      which also resets the endpoint cap and the metrics' baselines
   */
  public static Store open(StoreLocation location, String tapId, Ledger ledger, Duration flushInterval,
      Supplier<Ledger.Retired> onNewerPeriod) {
    return open(location, tapId, ledger, flushInterval, DEFAULT_TREND_INTERVAL, Clock.systemUTC(), onNewerPeriod);
  }

  static Store open(StoreLocation location, String tapId, Ledger ledger, Duration flushInterval,
      Duration trendInterval, Clock clock, Supplier<Ledger.Retired> onNewerPeriod) {
    if (tapId == null || tapId.isBlank() || tapId.length() > 200 || tapId.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
      throw new StoreException("the tap id '" + tapId + "' must be 1 to 200 printable characters");
    }
    Database db = new Database(location);
    Store s = new Store(db, ledger, clock, trendInterval, flushInterval, tapId, location == null ? null : onNewerPeriod);
    if (db.postgres()) {
      // never on the start's path: a sidecar starts at once, even while its database is away or slow to answer;
      // counts wait in memory and the writer keeps trying (health says so until the first connection)
      s.flushProblem = "connecting to " + s.name;
      s.writer.execute(() -> {
        try {
          s.connection();
          s.flushProblem = null;
        } catch (SQLException | RuntimeException e) {
          s.failed(e);
        }
      });
    } else {
      try {
        s.onWriter(() -> {
          s.connection();
          return null;
        });
      } catch (RuntimeException e) {
        s.writer.shutdownNow();
        if (e.getCause() instanceof SQLException sql) {
          throw new StoreException(s.name + ": not a usable store: " + sql.getMessage(), sql);
        }
        throw e instanceof StoreException se ? se
            : new StoreException(s.name + ": cannot load the stored evidence: " + e.getMessage(), e);
      }
    }
    long ms = flushInterval.toMillis();
    // at a fixed rate (start to start): what is counted right after one flush's snapshot waits one interval, not an
    // interval plus that flush's own time, for the next
    s.writer.scheduleAtFixedRate(s::flushLogged, ms, ms, TimeUnit.MILLISECONDS);
    LOG.info("evidence store {} (tap {}, period {}, flushed every {} ms)", s.name, tapId,
        s.period < 0 ? "not known yet" : s.period, ms);
    return s;
  }

  /**
   * The writer's connection, opened (and the store migrated, this writer registered, the current period picked and,
   * for a file, loaded) when there is none.
   */
  private Connection connection() throws SQLException {
    if (connection != null) {
      return connection;
    }
    Connection c = db.connectWriter(instance);
    try {
      Instant now = clock.instant();
      if (!registered) {
        register(c, 0, now);
        registered = true;
      }
      if (period < 0) {
        long current = StoreFile.currentPeriod(c, clock);
        if (!db.postgres() && db.file() != null) {
          loadPeriod(c, current);
        }
        period = current;
      }
      db.releaseSchemaLock(c);
    } catch (SQLException | RuntimeException e) {
      db.closeQuietly(c);
      throw e;
    }
    connection = c;
    return c;
  }

  /**
   * Registers this process as a writer at sequence {@code at} (0 for a new one), idempotently: a registration whose
   * answer was lost is found in place; then takes the sequence the store holds.
   */
  private void register(Connection c, long at, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO writers (instance, tap, seq, started_at, last_seen)"
        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (instance) DO NOTHING")) {
      ps.setString(1, instance);
      ps.setString(2, tapId);
      ps.setLong(3, at);
      ps.setString(4, StoreFile.instantText(openedAt));
      ps.setString(5, StoreFile.instantText(now));
      ps.executeUpdate();
    }
    Long stored = storedSequence(c);
    sequence = stored == null ? at : stored;
  }

  /** This writer's sequence as the store holds it (waiting for a flush of it still in progress), or null. */
  private Long storedSequence(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM writers WHERE instance = ?" + db.lockingRead())) {
      ps.setString(1, instance);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** Thrown in a flush's transaction when the store's sequence for this writer is not the one expected. */
  private static final class OutOfStep extends RuntimeException {
    OutOfStep() {
      super(null, null, false, false);
    }
  }

  /** Loads a file's period (every tap's counts in it) into the ledger, remembering them as written. */
  private void loadPeriod(Connection c, long id) throws SQLException {
    StoreFile.load(c, name, id, null, ledger, written, writtenSamples);
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT at, endpoint, trials, failures FROM trend WHERE period = ? ORDER BY at")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          trend.add(rs.getString(2), new TrendPoint(Instant.parse(rs.getString(1)), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
  }

  private void flushLogged() {
    if (closed || (consecutiveFailures > 0 && System.nanoTime() < nextAttemptNanos)) {
      return;
    }
    try {
      flush();
      adoptNewerPeriod();
      if (consecutiveFailures > 0) {
        LOG.info("store {}: written again after {} failed attempt(s); nothing counted meanwhile was lost", name,
            consecutiveFailures);
      }
      consecutiveFailures = 0;
      pendingRows = 0;
      flushProblem = null;
    } catch (SQLException | RuntimeException e) {
      failed(e);
    }
  }

  /** After a failed attempt: counted, said once per kind, the connection dropped (PostgreSQL), the next one later. */
  private void failed(Exception e) {
    failedFlushes.incrementAndGet();
    if (pendingRows == 0) {
      pendingRows = pendingNow(); // the attempt failed before it made its batch (connecting, say)
    }
    flushProblem = shortMessage(e);
    consecutiveFailures++;
    long backoff = Math.min(MAX_BACKOFF.toNanos(),
        flushInterval.toNanos() << Math.min(consecutiveFailures - 1, 20));
    nextAttemptNanos = System.nanoTime() + backoff;
    if (db.postgres() && connection != null) {
      db.closeQuietly(connection);
      connection = null;
    }
    // once per kind with its stack, then at most once a minute: a database that is down fails every attempt
    problems.failed(name, "writing the store", e, "the evidence stays in memory and is written when the store answers");
  }

  /**
   * Why an attempt failed, in a line: a batch's own message repeats its whole statement (long names and all), so its
   * next exception's is taken, and the line is cut at 300 characters.
   */
  static String shortMessage(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t instanceof StoreException) {
      t = t.getCause();
    }
    if (t instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
      t = b.getNextException();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.length() <= 300 ? m : m.substring(0, 300) + "...";
  }

  /**
   * Writes what changed since the last flush: first what periods that ended still hold, then the current period;
   * each in one transaction. On the writer thread only.
   *
   * @return the rows written: changed counts, new samples and trend points
   */
  private int flush() throws SQLException {
    if (closed) {
      return 0;
    }
    Connection c = connection();
    resolveUncertain(c);
    int rows = 0;
    while (!leftovers.isEmpty()) {
      Leftover l = leftovers.peek();
      Evidence old = new Evidence(l.retired()::exportCounts, l.retired()::exportSamples);
      rows += commit(c, batch(old, l.period(), l.written(), l.writtenSamples(), false));
      leftovers.poll();
    }
    Evidence live = new Evidence(ledger::exportCounts, ledger::exportSamples);
    rows += commit(c, batch(live, period, written, writtenSamples, true));
    return rows;
  }

  /** What the next flush would write: periods that ended, then the current one. */
  private long pendingNow() {
    long n = 0;
    for (Leftover l : leftovers) {
      n += batch(new Evidence(l.retired()::exportCounts, l.retired()::exportSamples), l.period(), l.written(),
          l.writtenSamples(), false).size();
    }
    return n + batch(new Evidence(ledger::exportCounts, ledger::exportSamples), period, written, writtenSamples, false).size();
  }

  private Batch batch(Evidence evidence, long periodId, Map<String, Long> done, Set<Sample> doneSamples,
      boolean withTrend) {
    List<Row> rows = new ArrayList<>();
    evidence.counts().accept((endpoint, family, key, value) -> {
      String keyText = StoreFile.keyText(key);
      String id = endpoint + StoreFile.SEP + family + StoreFile.SEP + keyText;
      long before = done.getOrDefault(id, 0L);
      if (value != before) {
        boolean max = LedgerCounts.isMaximum(family);
        // a count only grows within a period; a maximum is written as it is
        long write = max ? value : Math.max(0, value - before);
        if (max ? value > before : write > 0) {
          rows.add(new Row(id, endpoint, family, keyText, value, write, max));
        }
      }
    });
    // in key order: two writers of one tap id lock the same rows in the same order, so they never deadlock
    rows.sort(Comparator.comparing(Row::id));
    List<Map.Entry<String, Sample>> samples = new ArrayList<>();
    evidence.samples().accept((endpoint, sample) -> {
      if (!doneSamples.contains(sample)) {
        samples.add(Map.entry(endpoint, sample));
      }
    });
    Instant now = clock.instant();
    boolean trendDue = withTrend && trend.isDue(now);
    // a point only for endpoints whose counts moved since their last one: an idle tap writes nothing
    List<Ledger.VerdictCounts> points = trendDue ? trend.moved(ledger.verdictCounts()) : List.of();
    return new Batch(periodId, sequence + 1, rows, samples, points, trendDue, now, done, doneSamples);
  }

  /** Writes a batch in one transaction, with this writer's next sequence number; nothing when it is empty. */
  private int commit(Connection c, Batch b) throws SQLException {
    boolean heartbeat = db.postgres() && !b.at().isBefore(lastWrite.plus(HEARTBEAT));
    if (b.isEmpty() && !heartbeat) {
      return 0;
    }
    pendingRows = b.size();
    uncertain = b;
    long started = System.nanoTime();
    try {
      Schema.inTransaction(c, () -> {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE writers SET seq = ?, last_seen = ? WHERE instance = ? AND seq = ?")) {
          ps.setLong(1, b.sequence());
          ps.setString(2, StoreFile.instantText(b.at()));
          ps.setString(3, instance);
          ps.setLong(4, b.sequence() - 1);
          if (ps.executeUpdate() != 1) {
            throw new OutOfStep();
          }
        }
        writeCounts(c, b);
        writeSamples(c, b);
        Trend.write(c, b.period(), tapId, b.at(), b.points());
        return null;
      });
    } catch (OutOfStep e) {
      uncertain = null; // rolled back: nothing of it is in the store
      resynchronize(c, b.at());
      throw new StoreException(name + ": this tap's writer was out of step with the store (see the error above);"
          + " the next flush writes again");
    }
    if (!b.isEmpty()) {
      long took = System.nanoTime() - started;
      writingFlushes.incrementAndGet();
      writingNanos.addAndGet(took);
      slowestNanos.accumulateAndGet(took, Math::max);
      rowsWritten.addAndGet(b.size());
    }
    applied(b);
    return b.size();
  }

  /**
   * The store does not hold this writer at its last flush: a database replaced, or restored from a backup older than
   * that flush. Counting twice is never an option, so the writer takes the store's state as it is and goes on: what
   * the lost flushes wrote is missing from the store (said once, loudly), everything counted from now on is written.
   */
  private void resynchronize(Connection c, Instant now) throws SQLException {
    Long stored = storedSequence(c);
    if (stored == null) {
      LOG.error("store {}: this tap's writer row ({}) is gone: the database was replaced or restored from before this"
          + " tap started; what it wrote before is not in it, and it writes on from here", name, instance);
      register(c, sequence, now);
    } else {
      LOG.error("store {}: the store holds this tap's writer at flush {}, not {} (a database restored from a backup?);"
          + " what the flushes in between wrote is not in it, and it writes on from here", name, stored, sequence);
      sequence = stored;
    }
  }

  private void writeCounts(Connection c, Batch b) throws SQLException {
    if (b.rows().isEmpty()) {
      return;
    }
    String sum = "INSERT INTO counts (period, tap, endpoint, family, key, value) VALUES (?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT " + db.countsKey() + " DO UPDATE SET value = counts.value + excluded.value";
    String max = "INSERT INTO counts (period, tap, endpoint, family, key, value) VALUES (?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT " + db.countsKey() + " DO UPDATE SET value = "
        + db.greatest("counts.value", "excluded.value");
    try (PreparedStatement sums = c.prepareStatement(sum); PreparedStatement maxima = c.prepareStatement(max)) {
      for (Row row : b.rows()) {
        PreparedStatement ps = row.maximum() ? maxima : sums;
        ps.setLong(1, b.period());
        ps.setString(2, tapId);
        ps.setString(3, row.endpoint());
        ps.setString(4, row.family());
        ps.setString(5, row.key());
        ps.setLong(6, row.write());
        ps.addBatch();
      }
      sums.executeBatch();
      maxima.executeBatch();
    }
  }

  /**
   * Writes the batch's new samples within the sample caps of the whole store (every tap's samples of a period count):
   * a sample takes a place of its endpoint and of at least one of its fields, as the ledger keeps them. A sample
   * with no place left is not written (the fleet already holds as many of its kind as the caps allow).
   */
  private void writeSamples(Connection c, Batch b) throws SQLException {
    if (b.samples().isEmpty()) {
      return;
    }
    int perField = ledger.limits().samplesPerField();
    int perEndpoint = ledger.limits().samplesPerEndpoint();
    db.lockSamplesInTransaction(c);
    try (PreparedStatement used = c.prepareStatement(
            "SELECT used FROM sample_slots WHERE period = ? AND endpoint = ? AND field = ?");
        PreparedStatement take = c.prepareStatement("INSERT INTO sample_slots (period, endpoint, field, used)"
            + " VALUES (?, ?, ?, 1) ON CONFLICT " + db.slotsKey() + " DO UPDATE SET used = sample_slots.used + 1");
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO samples (period, tap, endpoint, at, sample) VALUES (?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, Sample> e : b.samples()) {
        String endpoint = e.getKey();
        if (slotsUsed(used, b.period(), endpoint, "") >= perEndpoint) {
          continue;
        }
        List<String> room = new ArrayList<>();
        for (String field : e.getValue().fields()) {
          // as a JSON string: a field may hold any character, and PostgreSQL's text holds no NUL
          String slot = StoreFile.keyText(List.of(field));
          if (slotsUsed(used, b.period(), endpoint, slot) < perField) {
            room.add(slot);
          }
        }
        if (room.isEmpty()) {
          continue;
        }
        room.add(""); // the endpoint's own count
        for (String field : room) {
          take.setLong(1, b.period());
          take.setString(2, endpoint);
          take.setString(3, field);
          take.executeUpdate();
        }
        insert.setLong(1, b.period());
        insert.setString(2, tapId);
        insert.setString(3, endpoint);
        insert.setString(4, StoreFile.instantText(e.getValue().at()));
        insert.setString(5, StoreFile.sampleText(e.getValue()));
        insert.executeUpdate();
      }
    }
  }

  private static int slotsUsed(PreparedStatement used, long periodId, String endpoint, String field) throws SQLException {
    used.setLong(1, periodId);
    used.setString(2, endpoint);
    used.setString(3, field);
    try (ResultSet rs = used.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** After a batch committed: what it wrote is remembered as written. */
  private void applied(Batch b) {
    sequence = b.sequence();
    for (Row row : b.rows()) {
      b.written().put(row.id(), row.value());
    }
    b.samples().forEach(e -> b.writtenSamples().add(e.getValue()));
    if (b.trendDue()) {
      trend.taken(b.at(), b.points());
    }
    lastWrite = b.at();
    uncertain = null;
  }

  /**
   * After a failed flush: reads this writer's sequence back. At the failed batch's number, the batch committed (the
   * failure came after the commit) and is remembered as written; otherwise it did not, and the next flush computes
   * everything again. Either way nothing is written twice or lost.
   */
  private void resolveUncertain(Connection c) throws SQLException {
    if (uncertain == null) {
      return;
    }
    // FOR UPDATE (PostgreSQL): waits for the failed flush's transaction if the server still runs it (a commit slower
    // than the client's timeout), so its outcome is known, never guessed
    Long stored = storedSequence(c);
    long committed = stored == null ? -1 : stored;
    Batch b = uncertain;
    if (committed == b.sequence()) {
      LOG.info("store {}: the flush that failed had committed ({} rows); it is not written again", name, b.size());
      applied(b);
    } else {
      uncertain = null;
    }
  }

  /** Each endpoint's newest trend points, oldest first. */
  public Map<String, List<TrendPoint>> trend() {
    return trend.snapshot();
  }

  public Duration trendInterval() {
    return trend.interval();
  }

  /**
   * After a flush: when another process started a newer period, empties the ledger, goes on in the new period and
   * writes what the ledger held until then to the one that ended.
   */
  private void adoptNewerPeriod() throws SQLException {
    if (externalReset == null || closed) {
      return;
    }
    long newest;
    try (Statement st = connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM periods WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")) {
      if (!rs.next()) {
        return;
      }
      newest = rs.getLong(1);
    }
    if (newest == period) {
      return;
    }
    long ended = period;
    switchTo(newest, externalReset.get());
    flush();
    LOG.info("store {}: another process started evidence period {}; counting goes on there (period {} got its last counts)",
        name, newest, ended);
  }

  /** Goes on in period {@code next}; what the period that ended still holds is written to it at the next flush. */
  private void switchTo(long next, Ledger.Retired retired) {
    leftovers.add(new Leftover(retired, period, written, writtenSamples));
    period = next;
    written = new HashMap<>();
    writtenSamples = Collections.newSetFromMap(new IdentityHashMap<>());
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
   * Ends the current period and starts a new one: flushes, marks every open period ended (for every tap of a shared
   * store), then runs {@code reset} (which empties the ledger and hands back what it held) on the writer thread, and
   * writes that to the period that ended.
   *
   * @return the new period
   */
  public Period newPeriod(Supplier<Ledger.Retired> reset) {
    return onWriter(() -> {
      flush();
      Connection c = connection();
      Instant now = clock.instant();
      long next = Schema.inTransaction(c, () -> {
        db.lockPeriodsInTransaction(c);
        // every open period: one another process opened and this tap has not adopted yet ends too
        try (PreparedStatement ps = c.prepareStatement("UPDATE periods SET ended_at = ? WHERE ended_at IS NULL")) {
          ps.setString(1, StoreFile.instantText(now));
          ps.executeUpdate();
        }
        return StoreFile.insertPeriod(c, now);
      });
      switchTo(next, reset.get());
      try {
        flush();
      } catch (SQLException | RuntimeException e) {
        failed(e); // the last counts of the period that ended wait in memory for the next flush
      }
      LOG.info("store {}: new evidence period {}", name, next);
      return new Period(next, now, null);
    });
  }

  /** The periods of this store, oldest first. */
  public List<Period> periods() {
    return onWriter(() -> StoreFile.periods(connection()));
  }

  /**
   * Names the evidence this store holds now, for a report's source: {@link StoreReader#source} for a file (the same
   * name a CLI reading it gives), this tap in a shared database, or this tap's memory since it started.
   */
  public String source() {
    if (db.postgres()) {
      return "store " + name + " tap " + tapId + " period " + period;
    }
    return db.file() == null ? "memory " + StoreReader.host() + " opened " + openedAt + " period " + period
        : StoreReader.source(db.file(), period);
  }

  /** The id of the current period; -1 while a shared store has not been reached yet. */
  public long period() {
    return period;
  }

  /** Where the evidence goes: the file or database (without a password), or null for memory. */
  public StoreLocation location() {
    return db.location();
  }

  /** Which tap this store writes as. */
  public String tapId() {
    return tapId;
  }

  /** Why the last attempt to write failed, or null when it succeeded: {@code /health} and the metrics show it. */
  public String flushProblem() {
    return flushProblem;
  }

  /** Attempts to write that failed so far (logged once per kind, then at most once a minute). */
  public long failedFlushes() {
    return failedFlushes.get();
  }

  /**
   * Transactions that wrote something so far, their total time in nanoseconds, the slowest one, and the rows
   * (changed counts, samples, trend points) they wrote: what a flush costs against this store.
   */
  public record FlushStats(long flushes, long totalNanos, long slowestNanos, long rows) {}

  public FlushStats flushStats() {
    return new FlushStats(writingFlushes.get(), writingNanos.get(), slowestNanos.get(), rowsWritten.get());
  }

  /** Rows (changed counts, samples, trend points) that the last failed attempt could not write; 0 once written. */
  public long pendingRows() {
    return pendingRows;
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

  /** Writes what is left and closes the connection. */
  @Override
  public void close() {
    if (writer.isShutdown()) {
      return;
    }
    try {
      onWriter(() -> {
        try {
          flush();
        } catch (SQLException | RuntimeException e) {
          long lost = pendingNow();
          if (lost > 0) {
            LOG.error("store {}: the last flush failed; {} row(s) counted since the last successful flush are not in the"
                + " store: {}", name, lost, shortMessage(e));
          } else {
            LOG.warn("store {}: the last flush failed, with nothing left to write: {}", name, shortMessage(e));
          }
        }
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
      db.closeQuietly(connection);
    }
  }
}
