package dev.shadowparity.cli;

import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.store.Period;
import dev.shadowparity.store.StoreReader;
import java.nio.file.Path;
import java.time.Clock;

/** One evidence period of a store file, read into a ledger, for {@code parity report} and {@code parity gate}. */
record StoreEvidence(Period period, Ledger ledger) {

  /** The default store file of the tap, {@code parity report} and {@code parity gate}. */
  static final String DEFAULT_FILE = "parity.db";

  /**
   * Reads a period (the newest when {@code periodId} is null) under a verdict rule.
   *
   * @throws dev.shadowparity.store.StoreException when the file is missing, unreadable or lacks the period
   */
  static StoreEvidence read(Path file, Long periodId, ParityConfig config, VerdictConfig rule) {
    Ledger ledger = new Ledger(rule, config.limits(), config.noise(), Redaction.of(config.redact()), Clock.systemUTC());
    Period p = StoreReader.read(file, periodId, ledger);
    return new StoreEvidence(p, ledger);
  }

  /** The period in words, for the first line of the output. */
  String describe(Path file) {
    return String.format("Evidence of %s, period %d: since %s%s", file, period.id(), period.startedAt(),
        period.endedAt() == null ? " (still open)" : ", ended " + period.endedAt());
  }
}
