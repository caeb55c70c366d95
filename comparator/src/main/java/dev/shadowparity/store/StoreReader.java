package dev.shadowparity.store;

import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.report.TapContribution;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store as the CLI and the fleet view read it ({@code parity report}, {@code parity gate}, {@code /?scope=fleet}):
 * its periods, one period read into a ledger (every tap's counts added up, or one tap's), what each tap contributed,
 * and a new period started from outside the taps. Read-only but for the last, and safe while taps write.
 */
public final class StoreReader {

  private static final Logger LOG = LoggerFactory.getLogger(StoreReader.class);

  private StoreReader() {}

  /**
   * Names a period of a store file, the same way for the tap that writes it and a CLI reading it on that host:
   * {@code store HOST:/absolute/path period N}. A report's source ({@code Report#withSource}).
   */
  public static String source(Path file, long period) {
    return "store " + host() + ":" + file.toAbsolutePath().normalize() + " period " + period;
  }

  /** Names a period of any store: as {@link #source(Path, long)} for a file, the URI (no password) for a database. */
  public static String source(StoreLocation store, long period) {
    return store.postgres() ? "store " + store + " period " + period : source(store.file(), period);
  }

  /** This machine's name, as the network stack gives it (a pod's name in Kubernetes): the default tap id. */
  public static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /**
   * Starts a new evidence period from outside the taps ({@code parity report --reset}): ends the open one and opens
   * the next. Each tap writing the store notices at its next flush: what it counted until then is written to the
   * period that ended, and it goes on in the new one with an empty ledger.
   *
   * @return the new period
   */
  public static Period newPeriod(StoreLocation store, Clock clock) {
    Database db = new Database(store);
    Connection c = null;
    try {
      c = db.connectForPeriods();
      Connection conn = c;
      Instant now = clock.instant();
      long id = Schema.inTransaction(c, () -> {
        db.lockPeriodsInTransaction(conn);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE periods SET ended_at = ? WHERE ended_at IS NULL")) {
          ps.setString(1, StoreFile.instantText(now));
          ps.executeUpdate();
        }
        return StoreFile.insertPeriod(conn, now);
      });
      LOG.info("store {}: new evidence period {}", store, id);
      return new Period(id, now, null);
    } catch (SQLException e) {
      throw new StoreException(store + ": cannot start a new period: " + e.getMessage(), e);
    } finally {
      db.closeQuietly(c);
    }
  }

  public static Period newPeriod(Path file, Clock clock) {
    return newPeriod(StoreLocation.of(file), clock);
  }

  /** The periods of a store, oldest first. */
  public static List<Period> periods(StoreLocation store) {
    Database db = new Database(store);
    Connection c = db.connectReader();
    try {
      return StoreFile.periods(c);
    } catch (SQLException e) {
      throw new StoreException(store + ": cannot list the periods: " + e.getMessage(), e);
    } finally {
      db.closeQuietly(c);
    }
  }

  public static List<Period> periods(Path file) {
    return periods(StoreLocation.of(file));
  }

  /**
   * Reads a period (the newest when {@code periodId} is null) into a ledger: every tap's counts added up (a fleet's
   * evidence), or one tap's when {@code tap} is given. Taps may be writing: what they flushed so far is read.
   *
   * @return the period read
   */
  public static Period read(StoreLocation store, Long periodId, String tap, Ledger into) {
    Database db = new Database(store);
    Connection c = db.connectReader();
    try {
      Period p = period(c, store, periodId);
      StoreFile.load(c, store.toString(), p.id(), tap, into, null, null);
      return p;
    } catch (SQLException e) {
      throw new StoreException(store + ": cannot read the evidence: " + e.getMessage(), e);
    } finally {
      db.closeQuietly(c);
    }
  }

  public static Period read(Path file, Long periodId, Ledger into) {
    return read(StoreLocation.of(file), periodId, null, into);
  }

  /**
   * What each tap contributed to a period, most first: its exchanges by outcome, endpoints, and when it last wrote.
   */
  public static List<TapContribution> contributions(StoreLocation store, long periodId) {
    Database db = new Database(store);
    Connection c = db.connectReader();
    try {
      return contributions(c, periodId);
    } catch (SQLException e) {
      throw new StoreException(store + ": cannot read what each tap contributed: " + e.getMessage(), e);
    } finally {
      db.closeQuietly(c);
    }
  }

  /**
   * A period of a shared store as the fleet view reads it: every tap's counts and samples added up into the ledger,
   * and what each tap contributed.
   *
   * @param period the period read
   * @param taps   what each tap contributed to it, most first
   */
  public record Fleet(Period period, List<TapContribution> taps) {}

  /**
   * Reads a period (the newest when {@code periodId} is null) of every tap into a ledger, and what each tap
   * contributed to it, on one connection (the admin page's {@code scope=fleet}).
   */
  public static Fleet readFleet(StoreLocation store, Long periodId, Ledger into) {
    Database db = new Database(store);
    Connection c = db.connectReader();
    try {
      Period p = period(c, store, periodId);
      StoreFile.load(c, store.toString(), p.id(), null, into, null, null);
      return new Fleet(p, contributions(c, p.id()));
    } catch (SQLException e) {
      throw new StoreException(store + ": cannot read the fleet's evidence: " + e.getMessage(), e);
    } finally {
      db.closeQuietly(c);
    }
  }

  private static List<TapContribution> contributions(Connection c, long periodId) throws SQLException {
    Map<String, long[]> byTap = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT tap, family, SUM(value), COUNT(DISTINCT endpoint) FROM counts"
        + " WHERE period = ? AND family IN ('compared', 'mismatched', 'errors', 'skipped', 'not-comparable')"
        + " GROUP BY tap, family")) {
      ps.setLong(1, periodId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long[] n = byTap.computeIfAbsent(rs.getString(1), t -> new long[6]);
          long v = rs.getLong(3);
          switch (rs.getString(2)) {
            case "compared" -> {
              n[0] += v;
              n[5] = Math.max(n[5], rs.getLong(4));
            }
            case "mismatched" -> n[1] += v;
            case "errors" -> n[2] += v;
            case "not-comparable" -> n[3] += v;
            case "skipped" -> n[4] += v;
            default -> { }
          }
        }
      }
    }
    // the taps that wrote during the period, counts or not (an idle tap says it is alive every 30 s): a tap that
    // sees no traffic shows, with zeros
    String started = StoreFile.periods(c).stream().filter(p -> p.id() == periodId).findFirst()
        .map(p -> StoreFile.instantText(p.startedAt())).orElse("");
    Map<String, String[]> seen = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT tap, MIN(started_at), MAX(last_seen), COUNT(*) FROM writers"
            + " WHERE last_seen >= ? OR tap IN (SELECT DISTINCT tap FROM counts WHERE period = ?) GROUP BY tap")) {
      ps.setString(1, started);
      ps.setLong(2, periodId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
          byTap.computeIfAbsent(rs.getString(1), t -> new long[6]);
        }
      }
    }
    List<TapContribution> list = new ArrayList<>();
    byTap.forEach((tap, n) -> {
      String[] w = seen.get(tap);
      list.add(new TapContribution(tap.isEmpty() ? "(before tap ids)" : tap, n[0], n[1], n[2], n[3], n[4], n[5],
          w == null ? null : Instant.parse(w[1]), w == null ? 0 : Integer.parseInt(w[2])));
    });
    list.sort((a, b) -> Long.compare(b.compared() + b.errors() + b.notComparable(), a.compared() + a.errors() + a.notComparable()));
    return list;
  }

  private static Period period(Connection c, StoreLocation store, Long periodId) throws SQLException {
    List<Period> all = StoreFile.periods(c);
    if (all.isEmpty()) {
      throw new StoreException(store + ": the store holds no evidence period yet");
    }
    return periodId == null ? all.get(all.size() - 1)
        : all.stream().filter(x -> x.id() == periodId).findFirst().orElseThrow(() -> new StoreException(store
            + ": no period " + periodId + " (the store has periods " + all.get(0).id() + " to " + all.get(all.size() - 1).id() + ")"));
  }
}
