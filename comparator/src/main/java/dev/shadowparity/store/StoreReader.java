package dev.shadowparity.store;

import dev.shadowparity.ledger.Ledger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store file as the CLI reads it ({@code parity report}, {@code parity gate}): its periods, one period read into a
 * ledger, and a new period started from outside the tap. Read-only but for the last, and safe while a tap writes.
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

  /** This machine's name, as the network stack gives it (a pod's name in Kubernetes). */
  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
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
    StoreFile.closeQuietly(StoreFile.connectReadOnly(file), file.toString()); // a parity store at this version, or a message
    Connection c = StoreFile.connect(file);
    try {
      Instant now = clock.instant();
      long id = Schema.inTransaction(c, () -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE periods SET ended_at = ? WHERE ended_at IS NULL")) {
          ps.setString(1, now.toString());
          ps.executeUpdate();
        }
        return StoreFile.insertPeriod(c, now);
      });
      LOG.info("store {}: new evidence period {}", file, id);
      return new Period(id, now, null);
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot start a new period: " + e.getMessage(), e);
    } finally {
      StoreFile.closeQuietly(c, file.toString());
    }
  }

  /** The periods of a store file, oldest first. */
  public static List<Period> periods(Path file) {
    Connection c = StoreFile.connectReadOnly(file);
    try {
      return StoreFile.periods(c);
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot list the periods: " + e.getMessage(), e);
    } finally {
      StoreFile.closeQuietly(c, file.toString());
    }
  }

  /**
   * Reads a period of a store file (the newest when {@code periodId} is null) into a ledger, for reports and
   * the gate. A running tap may be writing the file: what it flushed so far is read.
   *
   * @return the period read
   */
  public static Period read(Path file, Long periodId, Ledger into) {
    Connection c = StoreFile.connectReadOnly(file);
    try {
      List<Period> all = StoreFile.periods(c);
      if (all.isEmpty()) {
        throw new StoreException(file + ": the store holds no evidence period yet");
      }
      Period p = periodId == null ? all.get(all.size() - 1)
          : all.stream().filter(x -> x.id() == periodId).findFirst().orElseThrow(() -> new StoreException(file
              + ": no period " + periodId + " (the store has periods " + all.get(0).id() + " to " + all.get(all.size() - 1).id() + ")"));
      StoreFile.load(c, file.toString(), p.id(), into, null, null);
      return p;
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot read the evidence: " + e.getMessage(), e);
    } finally {
      StoreFile.closeQuietly(c, file.toString());
    }
  }
}
