package dev.shadowparity.store;

import dev.shadowparity.ledger.Ledger.VerdictCounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each endpoint's trend: its trials and failures, a point every {@code interval} when they moved, the newest
 * {@link Store#TREND_POINTS} kept in memory (what the page shows) and in the file. Points are taken by the store's
 * writer thread; read from any thread.
 */
final class Trend {

  private final Duration interval;
  private final Map<String, ArrayDeque<Store.TrendPoint>> points = new TreeMap<>();
  /** When the last points were taken; the writer thread's only. */
  private Instant last = Instant.EPOCH;

  Trend(Duration interval) {
    this.interval = interval;
  }

  Duration interval() {
    return interval;
  }

  /** Whether points are due now: an interval has passed since the last were taken. */
  boolean isDue(Instant now) {
    return !now.isBefore(last.plus(interval));
  }

  /** Of these endpoints, those due a point: whose counts moved since their last one (an idle tap writes nothing). */
  List<VerdictCounts> moved(List<VerdictCounts> endpoints) {
    return endpoints.stream().filter(this::moved).toList();
  }

  /**
   * Writes one tap's points of these endpoints at {@code now}, keeping that tap's newest per endpoint; in the flush's
   * transaction.
   */
  static void write(Connection db, long period, String tap, Instant now, List<VerdictCounts> due) throws SQLException {
    if (due.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = db.prepareStatement(
        "INSERT INTO trend (period, tap, at, endpoint, trials, failures) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (VerdictCounts r : due) {
        ps.setLong(1, period);
        ps.setString(2, tap);
        ps.setString(3, StoreFile.instantText(now));
        ps.setString(4, r.endpoint());
        ps.setLong(5, r.trials());
        ps.setLong(6, r.failures());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    // the store keeps what the page shows, the newest TREND_POINTS per endpoint, so a long rollout does not grow it
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM trend WHERE period = ? AND tap = ? AND endpoint = ?"
        + " AND at < (SELECT at FROM trend WHERE period = ? AND tap = ? AND endpoint = ? ORDER BY at DESC LIMIT 1 OFFSET ?)")) {
      for (VerdictCounts r : due) {
        ps.setLong(1, period);
        ps.setString(2, tap);
        ps.setString(3, r.endpoint());
        ps.setLong(4, period);
        ps.setString(5, tap);
        ps.setString(6, r.endpoint());
        ps.setInt(7, Store.TREND_POINTS - 1);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** After the flush that wrote them: the points join the ones in memory. */
  void taken(Instant now, List<VerdictCounts> due) {
    last = now;
    due.forEach(r -> add(r.endpoint(), new Store.TrendPoint(now, r.trials(), r.failures())));
  }

  private boolean moved(VerdictCounts r) {
    synchronized (points) {
      ArrayDeque<Store.TrendPoint> q = points.get(r.endpoint());
      Store.TrendPoint p = q == null ? null : q.peekLast();
      return p == null || p.trials() != r.trials() || p.failures() != r.failures();
    }
  }

  /** Adds a point (also when loading the file's). */
  void add(String endpoint, Store.TrendPoint p) {
    synchronized (points) {
      ArrayDeque<Store.TrendPoint> q = points.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
      q.addLast(p);
      while (q.size() > Store.TREND_POINTS) {
        q.removeFirst();
      }
    }
  }

  /** Each endpoint's newest points, oldest first. */
  Map<String, List<Store.TrendPoint>> snapshot() {
    synchronized (points) {
      Map<String, List<Store.TrendPoint>> copy = new LinkedHashMap<>();
      points.forEach((e, q) -> copy.put(e, List.copyOf(q)));
      return copy;
    }
  }

  /** A new period: no points yet. */
  void clear() {
    synchronized (points) {
      points.clear();
    }
    last = Instant.EPOCH;
  }
}
