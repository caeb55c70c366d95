package dev.shadowparity.cli;

import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.report.Gate;
import dev.shadowparity.report.ReportJson;
import dev.shadowparity.report.ReportSum;
import dev.shadowparity.store.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity gate --store FILE | --report FILE...}: exit 0 only when every named endpoint is PROVEN. */
@Command(name = "gate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "The deploy gate: passes (exit 0) only when every named endpoint is PROVEN in the tap's store file (or in "
            + "the sum of report files), and prints why per endpoint. With no --endpoint, every endpoint is checked, "
            + "NOT MIRRORED ones (only writes, which the tap never sends to NEW) do not block, and at least one must be "
            + "PROVEN. The verdict is computed again from each endpoint's counts under the rule given here, so a "
            + "pipeline can be stricter than the tap; every UNPROVEN endpoint says how many more clean exchanges "
            + "would prove it. An endpoint named but never seen fails. The tap's admin port answers the same at "
            + "GET /api/gate.",
        "Exit code: 0 passed, 1 not passed (FAILING or UNPROVEN), 2 on usage errors or an unreadable store."
    })
final class GateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--store", paramLabel = "FILE|URI",
      description = {"The tap's store file, or a fleet's PostgreSQL database (postgresql://user@host:5432/db, the"
          + " password from PGPASSWORD): every tap's evidence added up.", "Default: ${DEFAULT-VALUE}."})
  String store = StoreEvidence.DEFAULT_FILE;

  @Option(names = "--report", paramLabel = "FILE", arity = "1..*",
      description = "Report JSON documents (replay --json, report --json, /api/report) to sum per endpoint instead of "
          + "a store, e.g. the shards of one replay run on several machines.")
  List<Path> reports = new ArrayList<>();

  @Option(names = "--endpoint", paramLabel = "E",
      description = "An endpoint that must be PROVEN, as the report names it (\"GET /api/users/{id}\"); repeatable. "
          + "Default: every endpoint of the period.")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--max-mismatch-rate", paramLabel = "R",
      description = "Highest acceptable mismatch rate, e.g. 0.001 for 0.1%%. Default: the config's verdict rule, else "
          + VerdictConfig.DEFAULT_MAX_MISMATCH_RATE + ".")
  Double maxMismatchRate;

  @Option(names = "--confidence", paramLabel = "C",
      description = "Confidence of the bound, e.g. 0.99. Default: the config's, else " + VerdictConfig.DEFAULT_CONFIDENCE + ".")
  Double confidence;

  @Option(names = "--min-compared", paramLabel = "N",
      description = "Fewer compared exchanges are never PROVEN. Default: the config's, else " + VerdictConfig.DEFAULT_MIN_COMPARED + ".")
  Long minCompared;

  @Option(names = "--period", paramLabel = "N", description = "The evidence period to check. Default: the newest.")
  Long period;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config whose verdict: rule is the default rule.")
  Path config;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the gate's answer as JSON (as GET /api/gate gives it).")
  Path json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gate.Result result;
    String source;
    boolean storeGiven = spec.commandLine().getParseResult().hasMatchedOption("--store");
    if (storeGiven && !reports.isEmpty()) {
      err.println("parity gate: give either --store or --report, not both");
      return ExitCodes.BAD_INPUT;
    }
    if (!reports.isEmpty() && period != null) {
      err.println("parity gate: --period belongs to --store; report files have no periods");
      return ExitCodes.BAD_INPUT;
    }
    try {
      ParityConfig cfg = ConfigLoader.load(config);
      VerdictConfig rule = cfg.verdict().override().maxMismatchRate(maxMismatchRate).confidence(confidence)
          .minCompared(minCompared).apply();
      if (reports.isEmpty()) {
        StoreEvidence evidence = StoreEvidence.read(store, period, cfg, rule);
        result = Gate.evaluate(evidence.ledger().report(), endpoints, rule);
        source = evidence.describe();
      } else {
        try {
          result = Gate.evaluate(ReportSum.read(reports, rule), endpoints, rule);
        } catch (java.nio.file.NoSuchFileException e) {
          err.println("parity gate: " + e.getFile() + ": no such report file");
          return ExitCodes.BAD_INPUT;
        } catch (IOException e) {
          err.println("parity gate: cannot read a report file: " + e.getMessage());
          return ExitCodes.BAD_INPUT;
        }
        source = "Evidence: the sum of " + reports.size() + " report file" + (reports.size() == 1 ? "" : "s") + ".";
      }
      ReportFiles.write(json, ReportJson.mapper().writeValueAsString(result) + "\n");
    } catch (StoreException | ConfigException | IllegalArgumentException e) {
      err.println("parity gate: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("parity gate: cannot write " + json + ": " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    out.println(source);
    out.printf(Locale.ROOT, "Rule: PROVEN when the upper bound of the mismatch rate at %s%% confidence (a confidence "
        + "sequence, valid at every look) is under %s, with at least %d compared.%n", trim(result.rule().confidence() * 100), percent(result.rule().maxMismatchRate()),
        result.rule().minCompared());
    if (result.endpoints().isEmpty()) {
      out.println(reports.isEmpty() ? "No endpoint has evidence in this period: nothing is proven."
          : "No endpoint has evidence in these reports: nothing is proven.");
    }
    for (Gate.Check c : result.endpoints()) {
      out.printf("%-12s %s: %s%n", c.verdict() == null ? "UNSEEN" : c.verdict().label(), c.endpoint(), c.reason());
    }
    if (!result.superseded().isEmpty()) {
      out.printf("Not checked: %d endpoint(s) named before a learned {name} took their place (their requests now count "
          + "there): %s%n", result.superseded().size(), result.superseded().entrySet().stream().limit(5)
          .map(e -> e.getKey() + " -> " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
          + (result.superseded().size() > 5 ? ", ..." : ""));
    }
    if (result.passed()) {
      out.println("PASSED: every endpoint checked is PROVEN" + (result.notMirrored() > 0
          ? " (" + result.notMirrored() + " NOT MIRRORED, which do not block)." : "."));
      return ExitCodes.OK;
    }
    long notProven = result.endpoints().stream().filter(c -> c.verdict() != dev.shadowparity.report.Verdict.PROVEN
        && (c.verdict() != dev.shadowparity.report.Verdict.NOT_MIRRORED || !endpoints.isEmpty())).count();
    out.printf("NOT PASSED: %d of %d endpoints are not PROVEN%s.%n", notProven, result.endpoints().size(),
        result.proven() == 0 && notProven == 0 ? " (and none is PROVEN)" : "");
    return ExitCodes.DIFFERENT;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }
}
