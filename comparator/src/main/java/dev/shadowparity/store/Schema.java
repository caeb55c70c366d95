package dev.shadowparity.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's schema, versioned by SQLite's {@code user_version}: migration {@code i} takes a file from version
 * {@code i} to {@code i + 1}, each in one transaction, so a file is always at a version this code knows or newer.
 */
final class Schema {

  /** Migrations in order; append, never edit one that has shipped. */
  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          "CREATE TABLE periods (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT)",
          "CREATE TABLE counts (period INTEGER NOT NULL REFERENCES periods(id), endpoint TEXT NOT NULL,"
              + " family TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,"
              + " PRIMARY KEY (period, endpoint, family, key)) WITHOUT ROWID",
          "CREATE TABLE samples (id INTEGER PRIMARY KEY, period INTEGER NOT NULL REFERENCES periods(id),"
              + " endpoint TEXT NOT NULL, at TEXT NOT NULL, sample TEXT NOT NULL)",
          "CREATE INDEX samples_by_period ON samples (period, endpoint)",
          "CREATE TABLE trend (period INTEGER NOT NULL REFERENCES periods(id), at TEXT NOT NULL, endpoint TEXT NOT NULL,"
              + " trials INTEGER NOT NULL, failures INTEGER NOT NULL)",
          "CREATE INDEX trend_by_period ON trend (period, endpoint, at)"));

  static final int VERSION = MIGRATIONS.size();

  private Schema() {}

  /**
   * Checks, without writing, that a file is a store at this version (for readers such as {@code parity report}):
   * fails on a file of another application, an empty one, or one of an older or newer version.
   */
  static void requireCurrent(Connection c, String file) throws SQLException {
    int version;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version == 0) {
      throw new StoreException(file + ": not a parity store (no parity schema in it; a tap writes one with --store)");
    }
    if (version != VERSION) {
      throw new StoreException(file + ": the store has schema version " + version + " and this parity reads version "
          + VERSION + "; use the parity that wrote it" + (version < VERSION ? ", or open it once with this parity's tap" : ""));
    }
  }

  /** Brings the file to {@link #VERSION}; fails on a file written by a newer version. */
  static void migrate(Connection c, String file) throws SQLException {
    int version;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > VERSION) {
      throw new StoreException(file + ": the store has schema version " + version + ", newer than this parity ("
          + VERSION + "); use the parity that wrote it or a newer one");
    }
    for (int v = version; v < VERSION; v++) {
      int from = v;
      inTransaction(c, () -> {
        try (Statement st = c.createStatement()) {
          for (String sql : MIGRATIONS.get(from)) {
            st.execute(sql);
          }
          st.execute("PRAGMA user_version = " + (from + 1));
        }
        return null;
      });
    }
  }

  /** Work on the database that may fail. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
