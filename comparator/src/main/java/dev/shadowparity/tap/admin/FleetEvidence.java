package dev.shadowparity.tap.admin;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.ProblemLog;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.report.Report;
import dev.shadowparity.store.Store;
import dev.shadowparity.store.StoreException;
import dev.shadowparity.store.StoreLocation;
import dev.shadowparity.store.StoreReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's evidence for the admin routes' {@code scope=fleet}: every tap's counts and samples in the newest
 * period of the shared (PostgreSQL) store this tap writes, read into a ledger made like the engine's (its verdict
 * rule, limits, noise and redaction), with what each tap contributed. The read runs on a worker thread and is
 * shared: requests while it runs wait for it, and its answer, or its failure, serves every request for
 * {@link #TTL} after it ended, so pages polling every second cost the database one read per {@code TTL}, however
 * many there are.
 */
final class FleetEvidence {

  private static final Logger LOG = LoggerFactory.getLogger(FleetEvidence.class);
  /** How long a read serves requests after it ended. */
  static final Duration TTL = Duration.ofSeconds(2);

  /** The fleet's evidence as read once: the report (with {@code taps}) and the ledger behind it (for samples). */
  record Snapshot(Report report, Ledger ledger) {}

  /** The fleet's evidence cannot be read now (the database is away): the answer is 503, with this message. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One read: its answer, and when it ended ({@link #RUNNING} while it runs). */
  private record Read(Future<Snapshot> answer, AtomicLong endedAt) {}

  private static final long RUNNING = Long.MIN_VALUE;

  private final Vertx vertx;
  private final ParityEngine engine;
  private final Store store;
  private final Duration ttl;
  private final LongSupplier nanoTime;
  private final ProblemLog problems = new ProblemLog(LOG);
  /** The newest read; guarded by {@code this}. */
  private Read last;

  FleetEvidence(Vertx vertx, ParityEngine engine, Store store) {
    this(vertx, engine, store, TTL, System::nanoTime);
  }

  FleetEvidence(Vertx vertx, ParityEngine engine, Store store, Duration ttl, LongSupplier nanoTime) {
    this.vertx = vertx;
    this.engine = engine;
    this.store = store;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
  }

  /** Whether this tap's store is shared by a fleet (PostgreSQL), so that there is a fleet to show. */
  boolean available() {
    return store.location() != null && store.location().postgres();
  }

  /**
   * Why {@code scope=fleet} cannot be answered by this tap at all (its store is a file or memory), or null when it
   * can.
   */
  String notShared() {
    if (available()) {
      return null;
    }
    return "scope=fleet needs a store shared by a fleet of taps (--store postgresql://...); this tap keeps its evidence "
        + (store.location() == null ? "in memory" : "in the file " + store.location() + ", which only this tap writes")
        + ": use scope=tap";
  }

  /**
   * The fleet's evidence: the last read's while it runs or for {@link #TTL} after it ended, else a new read's. A
   * failed read completes with {@link Unavailable} when the store could not be read.
   */
  synchronized Future<Snapshot> snapshot() {
    Read r = last;
    if (r != null) {
      long ended = r.endedAt().get();
      if (ended == RUNNING || nanoTime.getAsLong() - ended < ttl.toNanos()) {
        return r.answer();
      }
    }
    AtomicLong endedAt = new AtomicLong(RUNNING);
    Future<Snapshot> answer = vertx.executeBlocking(() -> {
      try {
        return read();
      } finally {
        endedAt.set(nanoTime.getAsLong());
      }
    }, false);
    last = new Read(answer, endedAt);
    return answer;
  }

  /** Reads the store's newest period, every tap summed; on a worker thread. */
  private Snapshot read() {
    StoreLocation location = store.location();
    ParityConfig config = engine.config();
    Ledger ledger = new Ledger(config.verdict(), config.limits(), config.noise(), Redaction.of(config.redact()),
        Clock.systemUTC());
    StoreReader.Fleet fleet;
    try {
      fleet = StoreReader.readFleet(location, null, ledger);
    } catch (StoreException e) {
      String message = withoutPassword(e.getMessage(), location);
      problems.noted(location.toString(), "the fleet view's read", "store unavailable", message,
          "scope=fleet answers 503 until the store can be read");
      throw new Unavailable(message, e);
    }
    Report report = engine.withBaselineUses(ledger.report()).withTaps(fleet.taps())
        .withSource(StoreReader.source(location, fleet.period().id()));
    return new Snapshot(report, ledger);
  }

  /** A message as the page may show it: the store's password, should a driver ever echo it, masked. */
  static String withoutPassword(String message, StoreLocation location) {
    String password = location.password();
    if (message == null) {
      return "the store could not be read";
    }
    return password == null || password.isEmpty() ? message : message.replace(password, "[password]");
  }
}
