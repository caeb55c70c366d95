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
import dev.shadowparity.ledger.LedgerCounts;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's file: connecting (read-only for readers, migrated for the writer), its periods, and the rows of a
 * period read back into a ledger. Shared by the tap's {@link Store} and the CLI's {@link StoreReader}.
 */
final class StoreFile {

  private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);

  static final char SEP = '\u0000';
  static final ObjectMapper MAPPER = ReportJson.mapper().copy()
      .disable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .registerModule(new SimpleModule("parity-store").addDeserializer(Instant.class, new InstantText()));
  static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /**
   * A read-only connection to an existing store at this schema version: nothing is written to the file (no journal
   * mode change, no migration), so reading never alters a file a tap is writing or one of another application.
   */
  static Connection connectReadOnly(Path file) {
    requireExisting(file);
    try {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(5000);
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      try {
        Schema.requireCurrent(c, file.toString(), false);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(c, file.toString());
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw new StoreException(file + ": not a readable store: " + e.getMessage(), e);
    }
  }

  static long currentPeriod(Connection c, Clock clock) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM periods WHERE ended_at IS NULL ORDER BY id DESC LIMIT 1")) {
      if (rs.next()) {
        return rs.getLong(1);
      }
    }
    return insertPeriod(c, clock.instant());
  }

  static long insertPeriod(Connection c, Instant at) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO periods (started_at) VALUES (?) RETURNING id")) {
      ps.setString(1, instantText(at));
      try (ResultSet keys = ps.executeQuery()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Loads a period's counts and samples into a ledger: every tap's, added up (a maximum as the largest), or one
   * tap's when {@code tap} is given.
   *
   * @param written when not null, gets each count's value as loaded (what the writer then adds to)
   * @param samples when not null, gets each sample the ledger kept
   */
  static void load(Connection db, String name, long periodId, String tap, Ledger into, Map<String, Long> written,
      Set<Sample> samples) throws SQLException {
    String byTap = tap == null ? "" : " AND tap = ?";
    try (PreparedStatement ps = db.prepareStatement("SELECT endpoint, family, key, SUM(value), MAX(value) FROM counts"
        + " WHERE period = ?" + byTap + " GROUP BY endpoint, family, key")) {
      ps.setLong(1, periodId);
      if (tap != null) {
        ps.setString(2, tap);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String endpoint = rs.getString(1);
          String family = rs.getString(2);
          String key = rs.getString(3);
          long value = LedgerCounts.isMaximum(family) ? rs.getLong(5) : rs.getLong(4);
          try {
            into.loadCount(endpoint, family, MAPPER.readValue(key, STRINGS), value);
          } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(name + ": period " + periodId + ", endpoint " + endpoint + ", count " + family + " "
                + key + ": " + e.getMessage(), e);
          }
          if (written != null) {
            written.put(endpoint + SEP + family + SEP + key, value);
          }
        }
      }
    }
    try (PreparedStatement ps = db.prepareStatement("SELECT id, endpoint, sample FROM samples WHERE period = ?" + byTap
        + " ORDER BY id")) {
      ps.setLong(1, periodId);
      if (tap != null) {
        ps.setString(2, tap);
      }
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

  static List<Period> periods(Connection c) throws SQLException {
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

  static void requireExisting(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new StoreException(file + ": no such store file (a tap writes it with --store)");
    }
  }

  private static final java.time.format.DateTimeFormatter INSTANT_TEXT =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);

  /**
   * An instant as the store keeps it: ISO-8601 in UTC with always nine fraction digits, so that text order is time
   * order ({@code ORDER BY at}, {@code MAX(last_seen)}); {@link Instant#parse} reads it, and the older texts too.
   */
  static String instantText(Instant at) {
    return INSTANT_TEXT.format(at);
  }

  static String keyText(List<String> key) {
    try {
      return MAPPER.writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings always serializes", e);
    }
  }

  static String sampleText(Sample s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a sample always serializes", e);
    }
  }

  static void closeQuietly(Connection c, String name) {
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

  private StoreFile() {}
}
