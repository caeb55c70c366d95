package dev.shadowparity.cli;

import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.store.Period;
import dev.shadowparity.store.StoreReader;
import dev.shadowparity.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity report --store FILE}: the reports of {@code parity replay}, from the evidence a tap stored. */
@Command(name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Prints the per-endpoint summary of the evidence a tap keeps in its store file (--store of parity tap) and "
            + "writes the same reports as parity replay. A running tap's file can be read: what it flushed so far "
            + "(at most one flush interval old) is reported.",
        "Exit code: 0 when the --fail-on condition does not hold, 1 when it does, 2 on usage errors or an unreadable "
            + "store."
    })
final class ReportCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--store", paramLabel = "FILE|URI",
      description = "The tap's store file, or a fleet's PostgreSQL database (postgresql://user@host:5432/db, the"
          + " password from PGPASSWORD): every tap's evidence added up, and what each tap contributed."
          + " Default: ${DEFAULT-VALUE}.")
  String store = StoreEvidence.DEFAULT_FILE;

  @Option(names = "--tap", paramLabel = "ID",
      description = "Of a shared store, only this tap's evidence (its --tap-id).")
  String tap;

  @Option(names = "--period", paramLabel = "N", description = "The evidence period to report. Default: the newest.")
  Long period;

  @Option(names = "--periods", description = "List the periods of the store and exit.")
  boolean listPeriods;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config whose verdict: rule the verdicts are computed under. Default: built-in rule.")
  Path config;

  @Mixin
  ReportFiles reports;

  @Mixin
  BaselineOption baseline;

  @Option(names = "--reset",
      description = "After reporting, end the period and start a new one (the old one is kept; a running tap "
          + "continues in the new one at its next flush).")
  boolean reset;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (reset && tap != null) {
      err.println("parity report: --reset starts a new period for every tap of the store; it cannot go with --tap");
      return ExitCodes.BAD_INPUT;
    }
    if (reset && (period != null || listPeriods)) {
      err.println("parity report: --reset ends the open period; it cannot go with --period or --periods");
      return ExitCodes.BAD_INPUT;
    }
    try {
      if (listPeriods) {
        List<Period> periods = StoreReader.periods(StoreEvidence.locate(store));
        out.printf("%-6s %-30s %s%n", "PERIOD", "STARTED", "ENDED");
        for (Period p : periods) {
          out.printf("%-6d %-30s %s%n", p.id(), p.startedAt(), p.endedAt() == null ? "(open)" : p.endedAt());
        }
        return ExitCodes.OK;
      }
      FailOn fail = reports.failOn();
      ParityConfig cfg = ConfigLoader.load(config);
      StoreEvidence evidence = StoreEvidence.read(store, period, tap, cfg, cfg.verdict());
      dev.shadowparity.report.Report report = evidence.ledger().report();
      List<dev.shadowparity.report.TapContribution> taps = evidence.store().postgres()
          ? StoreReader.contributions(evidence.store(), evidence.period().id()) : null;
      if (taps != null) {
        report = report.withTaps(tap == null ? taps : taps.stream().filter(t -> t.tap().equals(tap)).toList());
      }
      dev.shadowparity.baseline.Baseline accepted = baseline.load(err, "parity report");
      if (baseline.file != null) {
        report = report.withBaseline(accepted.uses(report));
      }
      ReplayResult result = new ReplayResult(report
          .withSource(StoreReader.source(evidence.store(), evidence.period().id()) + (tap == null ? "" : " tap " + tap)), null);
      reports.write(result, fail);
      out.println(evidence.describe());
      // with taps (a shared store), the summary begins with what each tap contributed
      dev.shadowparity.render.TextSummary.write(out, result.report(), "in the --json report");
      if (reset) {
        Period next = StoreReader.newPeriod(evidence.store(), Clock.systemUTC());
        out.printf("Period %d ended; new evidence period %d started (a running tap continues in it at its next flush).%n",
            evidence.period().id(), next.id());
        if (evidence.period().endedAt() != null) {
          out.println("(period " + evidence.period().id() + " had ended already; every period still open was ended)");
        }
      }
      if (fail.holds(result.report())) {
        out.println("FAILED: at least one endpoint fails under --fail-on " + fail.wireName() + ".");
        return ExitCodes.DIFFERENT;
      }
      ReplayCommand.noteUnprovenDifferences(out, result.report(), fail);
      return ExitCodes.OK;
    } catch (StoreException | ConfigException e) {
      err.println("parity report: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("parity report: --fail-on: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("parity report: cannot write a report: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
  }
}
