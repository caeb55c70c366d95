package dev.shadowparity.cli;

import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.store.Period;
import dev.shadowparity.store.StoreException;
import dev.shadowparity.store.StoreLocation;
import dev.shadowparity.store.StoreReader;
import java.time.Clock;

/**
 * One evidence period of a store, read into a ledger, for {@code parity report} and {@code parity gate}: a tap's
 * file, or a fleet's PostgreSQL database (every tap's counts added up, or one tap's).
 */
record StoreEvidence(StoreLocation store, Period period, String tap, Ledger ledger) {

  /** The default store file of the tap, {@code parity report} and {@code parity gate}. */
  static final String DEFAULT_FILE = "parity.db";

  /**
   * Where {@code --store} points: a file or a {@code postgresql://} URI (its password from the URI or
   * {@code PGPASSWORD}, read here, by the command).
   *
   * @throws StoreException naming what is wrong with the value
   */
  static StoreLocation locate(String store) {
    try {
      return StoreLocation.parse(store, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new StoreException("--store: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a period (the newest when {@code periodId} is null) under a verdict rule: every tap's evidence, or the
   * one tap named.
   *
   * @throws StoreException when the store is missing, unreadable or lacks the period
   */
  static StoreEvidence read(String store, Long periodId, String tap, ParityConfig config, VerdictConfig rule) {
    StoreLocation location = locate(store);
    Ledger ledger = new Ledger(rule, config.limits(), config.noise(), Redaction.of(config.redact()), Clock.systemUTC());
    Period p = StoreReader.read(location, periodId, tap, ledger);
    return new StoreEvidence(location, p, tap, ledger);
  }

  static StoreEvidence read(String store, Long periodId, ParityConfig config, VerdictConfig rule) {
    return read(store, periodId, null, config, rule);
  }

  /** The period in words, for the first line of the output. */
  String describe() {
    return String.format("Evidence of %s%s, period %d: since %s%s", store,
        tap != null ? " (tap " + tap + " only)" : store.postgres() ? " (every tap)" : "", period.id(), period.startedAt(),
        period.endedAt() == null ? " (still open)" : ", ended " + period.endedAt());
  }
}
