package dev.shadowparity.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The store's schema, versioned with an append-only list of migrations per database: migration {@code i} takes a
 * store from version {@code i} to {@code i + 1}, each in one transaction, so a store is always at a version this
 * code knows or newer. SQLite keeps the version in {@code user_version}; PostgreSQL in the table
 * {@code parity.schema_migrations} (one row per migration, with when and by which tap), and migrates under a
 * session advisory lock, so many taps starting at once on an empty database migrate it once: the first holds the
 * lock and migrates, the others wait, then find it current.
 */
final class Schema {

  /** SQLite migrations in order; append, never edit one that has shipped. */
  private static final List<List<String>> SQLITE = List.of(
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
          "CREATE INDEX trend_by_period ON trend (period, endpoint, at)"),
      // 2 (issue 20): rows say which tap wrote them; counts are added by each writer's flushes, exactly once
      List.of(
          "CREATE TABLE counts_by_tap (period INTEGER NOT NULL REFERENCES periods(id), tap TEXT NOT NULL,"
              + " endpoint TEXT NOT NULL, family TEXT NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,"
              + " PRIMARY KEY (period, tap, endpoint, family, key)) WITHOUT ROWID",
          "INSERT INTO counts_by_tap (period, tap, endpoint, family, key, value)"
              + " SELECT period, '', endpoint, family, key, value FROM counts",
          "DROP TABLE counts",
          "ALTER TABLE counts_by_tap RENAME TO counts",
          "ALTER TABLE samples ADD COLUMN tap TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE trend ADD COLUMN tap TEXT NOT NULL DEFAULT ''",
          "CREATE TABLE sample_slots (period INTEGER NOT NULL, endpoint TEXT NOT NULL, field TEXT NOT NULL,"
              + " used INTEGER NOT NULL, PRIMARY KEY (period, endpoint, field)) WITHOUT ROWID",
          "CREATE TABLE writers (instance TEXT PRIMARY KEY, tap TEXT NOT NULL, seq INTEGER NOT NULL,"
              + " started_at TEXT NOT NULL, last_seen TEXT NOT NULL)"));

  /**
   * PostgreSQL migrations in order (in the schema {@code parity}); append, never edit one that has shipped. Rows are
   * keyed by a SHA-256 of their text (a generated column), never by the text itself: an endpoint name or a field can
   * be longer than a btree index entry may be (2,704 bytes), and one such row must not stop every flush. (The text
   * becomes bytes by a cast, which reads backslashes as escapes: they are doubled first.)
   */
  private static final List<List<String>> POSTGRES = List.of(
      List.of(
          "CREATE TABLE periods (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, started_at TEXT NOT NULL,"
              + " ended_at TEXT)",
          "CREATE TABLE counts (period BIGINT NOT NULL REFERENCES periods(id), tap TEXT NOT NULL,"
              + " endpoint TEXT NOT NULL, family TEXT NOT NULL, key TEXT NOT NULL, value BIGINT NOT NULL,"
              + " key_hash TEXT GENERATED ALWAYS AS (encode(sha256(replace(length(endpoint)::text || ':' || endpoint"
              + " || ':' || family || ':' || key, '\\', '\\\\')::bytea), 'hex')) STORED,"
              + " PRIMARY KEY (period, tap, key_hash))",
          "CREATE TABLE samples (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
              + " period BIGINT NOT NULL REFERENCES periods(id), tap TEXT NOT NULL, endpoint TEXT NOT NULL,"
              + " at TEXT NOT NULL, sample TEXT NOT NULL)",
          "CREATE INDEX samples_by_period ON samples (period)",
          "CREATE TABLE sample_slots (period BIGINT NOT NULL REFERENCES periods(id), endpoint TEXT NOT NULL,"
              + " field TEXT NOT NULL, used INTEGER NOT NULL,"
              + " slot_hash TEXT GENERATED ALWAYS AS (encode(sha256(replace(length(endpoint)::text || ':' || endpoint"
              + " || field, '\\', '\\\\')::bytea), 'hex')) STORED, PRIMARY KEY (period, slot_hash))",
          "CREATE TABLE trend (period BIGINT NOT NULL REFERENCES periods(id), tap TEXT NOT NULL, at TEXT NOT NULL,"
              + " endpoint TEXT NOT NULL, trials BIGINT NOT NULL, failures BIGINT NOT NULL)",
          "CREATE INDEX trend_by_period ON trend (period, tap)",
          "CREATE TABLE writers (instance TEXT PRIMARY KEY, tap TEXT NOT NULL, seq BIGINT NOT NULL,"
              + " started_at TEXT NOT NULL, last_seen TEXT NOT NULL)"));

  /** The PostgreSQL schema (namespace) the tables live in, so they never meet an application's own tables. */
  static final String PG_SCHEMA = "parity";
  /** Advisory lock keys (PostgreSQL): migrating and starting periods; reserving fleet-wide sample slots. */
  static final long LOCK_SCHEMA = 0x7061726974790001L;
  static final long LOCK_SAMPLES = 0x7061726974790002L;

  static final int VERSION = SQLITE.size();
  static final int PG_VERSION = POSTGRES.size();

  private Schema() {}

  /**
   * Checks, without writing, that a store is at this version (for readers such as {@code parity report}): fails on
   * a file of another application, an empty one, or one of an older or newer version.
   */
  static void requireCurrent(Connection c, String name, boolean postgres) throws SQLException {
    int version = postgres ? pgVersion(c) : sqliteVersion(c);
    int current = postgres ? PG_VERSION : VERSION;
    if (version == 0) {
      throw new StoreException(name + ": not a parity store (no parity schema in it; a tap writes one with --store)");
    }
    if (version != current) {
      throw new StoreException(name + ": the store has schema version " + version + " and this parity reads version "
          + current + "; use the parity that wrote it" + (version < current ? ", or open it once with this parity's tap" : ""));
    }
  }

  /** Brings an SQLite file to {@link #VERSION}; fails on a file written by a newer version. */
  static void migrate(Connection c, String file) throws SQLException {
    int version = sqliteVersion(c);
    if (version > VERSION) {
      throw new StoreException(file + ": the store has schema version " + version + ", newer than this parity ("
          + VERSION + "); use the parity that wrote it or a newer one");
    }
    for (int v = version; v < VERSION; v++) {
      int from = v;
      inTransaction(c, () -> {
        try (Statement st = c.createStatement()) {
          for (String sql : SQLITE.get(from)) {
            st.execute(sql);
          }
          st.execute("PRAGMA user_version = " + (from + 1));
        }
        return null;
      });
    }
  }

  /**
   * Brings a PostgreSQL database to {@link #PG_VERSION} under the schema lock (the caller holds it): creates the
   * schema {@code parity} when missing, then applies each missing migration in its own transaction, recording it.
   *
   * @param by which tap migrates, kept with each migration
   */
  static void migratePostgres(Connection c, String name, String by) throws SQLException {
    boolean exists;
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, PG_SCHEMA);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    if (!exists) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + PG_SCHEMA);
      }
    }
    int version = pgVersion(c);
    if (version == PG_VERSION) {
      return; // current: nothing to create, so a role with no CREATE on the schema writes and reads it
    }
    if (version == 0) {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT to_regclass('" + PG_SCHEMA + ".schema_migrations') IS NOT NULL")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          try (Statement create = c.createStatement()) {
            create.execute("CREATE TABLE " + PG_SCHEMA + ".schema_migrations (version INTEGER PRIMARY KEY,"
                + " applied_at TEXT NOT NULL, applied_by TEXT NOT NULL)");
          }
        }
      }
    }
    if (version > PG_VERSION) {
      throw new StoreException(name + ": the store has schema version " + version + ", newer than this parity ("
          + PG_VERSION + "); use the parity that wrote it or a newer one");
    }
    for (int v = version; v < PG_VERSION; v++) {
      int from = v;
      inTransaction(c, () -> {
        try (Statement st = c.createStatement()) {
          st.execute("SET LOCAL search_path TO " + PG_SCHEMA);
          for (String sql : POSTGRES.get(from)) {
            st.execute(sql);
          }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PG_SCHEMA
            + ".schema_migrations (version, applied_at, applied_by) VALUES (?, ?, ?)")) {
          ps.setInt(1, from + 1);
          ps.setString(2, Instant.now().toString());
          ps.setString(3, by);
          ps.executeUpdate();
        }
        return null;
      });
    }
  }

  private static int sqliteVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static int pgVersion(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT to_regclass('" + PG_SCHEMA + ".schema_migrations') IS NOT NULL")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        return 0;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + PG_SCHEMA + ".schema_migrations")) {
      return rs.next() ? rs.getInt(1) : 0;
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
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback); // a connection lost mid-transaction cannot roll back; the server already has
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException lost) {
        // the connection is gone; the caller's exception says so, and the store reconnects before its next use
        org.slf4j.LoggerFactory.getLogger(Schema.class).debug("autocommit not restored: {}", lost.getMessage());
      }
    }
  }
}
