package dev.shadowparity.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind a store: an SQLite file (or memory), or a PostgreSQL database shared by a fleet of taps. It
 * opens connections (the writer's, migrated; a reader's, checked), and holds the few SQL spellings that differ.
 * The writer keeps one connection and opens it again after a failure; readers open one per read; that is the whole
 * pool a tap needs (one writer thread, reads on demand), so no pool library is added.
 */
final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final StoreLocation location;
  private final String name;

  Database(StoreLocation location) {
    this.location = location;
    this.name = location == null ? "(memory)" : location.toString();
  }

  boolean postgres() {
    return location != null && location.postgres();
  }

  /** Where it is, without a password: for logs and messages. */
  String name() {
    return name;
  }

  StoreLocation location() {
    return location;
  }

  /** A file store's path, or null (memory or PostgreSQL). */
  Path file() {
    return location == null ? null : location.file();
  }

  /**
   * A connection for the writer: an SQLite file in WAL mode, migrated; or PostgreSQL with the schema migrated under
   * the schema lock, which is held until {@link #releaseSchemaLock} so that the caller can pick or start the current
   * period before another tap does.
   *
   * @param by the writer, kept with a migration it applies
   */
  Connection connectWriter(String by) throws SQLException {
    if (!postgres()) {
      return sqlite(file());
    }
    Connection c = pg("parity tap " + by);
    try {
      lockSchema(c);
      Schema.migratePostgres(c, name, by);
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** A connection for reading: nothing is written, nothing migrated; the store must be at this version. */
  Connection connectReader() {
    try {
      if (!postgres()) {
        return StoreFile.connectReadOnly(file());
      }
      Connection c = pg("parity report");
      try {
        Schema.requireCurrent(c, name, true);
        return c;
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(name + ": not a readable store: " + e.getMessage(), e);
    }
  }

  /**
   * A connection that may change the periods (a reset from outside the tap): PostgreSQL's is migrated like a
   * writer's, SQLite's file must exist already.
   */
  Connection connectForPeriods() throws SQLException {
    if (!postgres()) {
      closeQuietly(StoreFile.connectReadOnly(file())); // a parity store at this version, or a message
      return sqlite(file());
    }
    Connection c = connectWriter("parity report --reset");
    try {
      releaseSchemaLock(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** PostgreSQL: waits for the schema lock (held while migrating and while the current period is picked). */
  void lockSchema(Connection c) throws SQLException {
    if (postgres()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
        ps.setLong(1, Schema.LOCK_SCHEMA);
        ps.execute();
      }
    }
  }

  void releaseSchemaLock(Connection c) throws SQLException {
    if (postgres()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, Schema.LOCK_SCHEMA);
        ps.execute();
      }
    }
  }

  /** In a transaction: PostgreSQL takes the schema lock until it ends (periods change one at a time fleet-wide). */
  void lockPeriodsInTransaction(Connection c) throws SQLException {
    if (postgres()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, Schema.LOCK_SCHEMA);
        ps.execute();
      }
    }
  }

  /** In a transaction: PostgreSQL takes the sample slots' lock until it ends (the caps hold across the fleet). */
  void lockSamplesInTransaction(Connection c) throws SQLException {
    if (postgres()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        ps.setLong(1, Schema.LOCK_SAMPLES);
        ps.execute();
      }
    }
  }

  /** The conflict target of an upsert into {@code counts}: PostgreSQL keys rows by a hash of their text. */
  String countsKey() {
    return postgres() ? "(period, tap, key_hash)" : "(period, tap, endpoint, family, key)";
  }

  /** The conflict target of an upsert into {@code sample_slots}. */
  String slotsKey() {
    return postgres() ? "(period, slot_hash)" : "(period, endpoint, field)";
  }

  /** Reads a writer's row and, on PostgreSQL, waits for a transaction still writing it (a flush not yet ended). */
  String lockingRead() {
    return postgres() ? " FOR UPDATE" : "";
  }

  /** The larger of two values in SQL. */
  String greatest(String a, String b) {
    return postgres() ? "GREATEST(" + a + ", " + b + ")" : "MAX(" + a + ", " + b + ")";
  }

  private Connection pg(String applicationName) throws SQLException {
    Properties p = location.driverProperties(applicationName);
    p.setProperty("currentSchema", Schema.PG_SCHEMA);
    return DriverManager.getConnection(location.jdbcUrl(), p);
  }

  private static Connection sqlite(Path file) throws SQLException {
    String name = file == null ? "(memory)" : file.toString();
    try {
      if (file != null && file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw new StoreException(name + ": cannot create its folder: " + e.getMessage(), e);
    }
    Connection c = DriverManager.getConnection(file == null ? "jdbc:sqlite::memory:" : "jdbc:sqlite:" + file);
    try {
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
    } catch (SQLException | RuntimeException e) {
      StoreFile.closeQuietly(c, name);
      throw e;
    }
  }

  void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      LOG.warn("store {}: closing a connection failed: {}", name, e.getMessage());
    }
  }
}
