package dev.shadowparity.cli;

import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.report.Gate;
import dev.shadowparity.report.ReportJson;
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

/** {@code parity gate --store FILE | --report FILE... | --prometheus URL}: exit 0 only when every named endpoint is PROVEN. */
@Command(name = "gate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "The deploy gate: passes (exit 0) only when every named endpoint is PROVEN in the tap's store file (or in "
            + "the sum of report files, or in the taps' counters in Prometheus summed over a window), and prints why per "
            + "endpoint. With no --endpoint, every endpoint is checked, "
            + "NOT MIRRORED ones (only writes, which the tap never sends to NEW) do not block, and at least one must be "
            + "PROVEN. The verdict is computed again from each endpoint's counts under the rule given here, so a "
            + "pipeline can be stricter than the tap; every UNPROVEN endpoint says how many more clean exchanges "
            + "would prove it. An endpoint named but never seen fails. The tap's admin port answers the same at "
            + "GET /api/gate.",
        "With --prometheus, the counts are exact sums of the taps' counters over the window (raw samples, counter "
            + "resets read as restarts, no extrapolation; docs/fleet.md). Credentials come from the "
            + "environment, never from the command line: PARITY_PROMETHEUS_TOKEN (a bearer token), or "
            + "PARITY_PROMETHEUS_USER and PARITY_PROMETHEUS_PASSWORD (basic authentication).",
        "Exit code: 0 passed, 1 not passed (FAILING or UNPROVEN), 2 on usage errors or unreadable evidence (a store, "
            + "report files, Prometheus unreachable or refusing)."
    })
final class GateCommand implements Callable<Integer> {

  /** The cap on each Prometheus answer unless --max-response-bytes says otherwise: 256 MiB. */
  static final long DEFAULT_MAX_RESPONSE_BYTES = 256L * 1024 * 1024;
  private static final List<String> PROMETHEUS_ONLY = List.of("--window", "--at", "--selector", "--lookback", "--header",
      "--timeout", "--max-response-bytes");

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

  @Option(names = "--prometheus", paramLabel = "URL",
      description = "A Prometheus-compatible API (Prometheus, Thanos, Mimir: its base URL, e.g. http://prometheus:9090 "
          + "or http://mimir/prometheus) whose taps' counters to sum per endpoint over --window instead of a store: "
          + "a fleet of taps judged as one.")
  String prometheus;

  @Option(names = "--window", paramLabel = "D", defaultValue = "1h",
      description = "With --prometheus: how far back from Prometheus' present the counts go (30m, 1h, 1h30m, 2d). "
          + "Default: ${DEFAULT-VALUE}.")
  String window;

  @Option(names = "--at", paramLabel = "TIME",
      description = "With --prometheus: the window's end, as 2024-05-01T12:00:00Z or Unix seconds, e.g. to see again "
          + "what a gate saw. Default: Prometheus' present.")
  String at;

  @Option(names = "--selector", paramLabel = "S",
      description = "With --prometheus: label matchers that pick the taps' series, e.g. '{job=\"parity-tap\", "
          + "namespace=\"shop\"}'. Default: every series of the counters.")
  String selector;

  @Option(names = "--header", paramLabel = "'NAME: VALUE'",
      description = "With --prometheus: a request header, e.g. 'X-Scope-OrgID: tenant-1' for Mimir; repeatable. "
          + "Credentials go in the environment instead.")
  List<String> headers = new ArrayList<>();

  @Option(names = "--lookback", paramLabel = "D", defaultValue = "5m",
      description = "With --prometheus: how far before the window each counter's base sample is looked for; at least "
          + "the scrape interval. Default: ${DEFAULT-VALUE}.")
  String lookback;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "30s",
      description = "With --prometheus: the longest wait for each whole answer. Default: ${DEFAULT-VALUE}.")
  String timeout;

  @Option(names = "--max-response-bytes", paramLabel = "N",
      description = "With --prometheus: the cap on each answer's size; past it the gate stops and says so. Default: "
          + DEFAULT_MAX_RESPONSE_BYTES + " (256 MiB).")
  long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

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

  /** The one source of evidence the options name; an {@link IllegalArgumentException} says what is wrong with them. */
  private GateEvidence source() {
    var parsed = spec.commandLine().getParseResult();
    boolean storeGiven = parsed.hasMatchedOption("--store");
    int given = (storeGiven ? 1 : 0) + (reports.isEmpty() ? 0 : 1) + (prometheus == null ? 0 : 1);
    if (given > 1) {
      throw new IllegalArgumentException("give one source of evidence: --store, --report or --prometheus, not several");
    }
    if (prometheus == null) {
      for (String option : PROMETHEUS_ONLY) {
        if (parsed.hasMatchedOption(option)) {
          throw new IllegalArgumentException(option + " belongs to --prometheus");
        }
      }
    }
    if (period != null && (!reports.isEmpty() || prometheus != null)) {
      throw new IllegalArgumentException("--period belongs to --store; " + (prometheus != null
          ? "Prometheus has no periods: --window says how far back the counts go" : "report files have no periods"));
    }
    if (prometheus != null) {
      return GateEvidence.Prometheus.of(prometheus, window, lookback, at, selector, headers, timeout, maxResponseBytes,
          System.getenv());
    }
    return reports.isEmpty() ? new GateEvidence.Store(store, period) : new GateEvidence.Reports(reports);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Gate.Result result;
    GateEvidence.Loaded evidence;
    try {
      GateEvidence source = source();
      ParityConfig cfg = ConfigLoader.load(config);
      VerdictConfig rule = cfg.verdict().override().maxMismatchRate(maxMismatchRate).confidence(confidence)
          .minCompared(minCompared).apply();
      evidence = source.load(cfg, rule);
      result = Gate.evaluate(evidence.report(), endpoints, rule);
      ReportFiles.write(json, ReportJson.mapper().writeValueAsString(result) + "\n");
    } catch (GateEvidence.EvidenceException | ConfigException | IllegalArgumentException e) {
      err.println("parity gate: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("parity gate: cannot write " + json + ": " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    out.println(evidence.description());
    out.printf(Locale.ROOT, "Rule: PROVEN when the upper bound of the mismatch rate at %s%% confidence (a confidence "
        + "sequence, valid at every look) is under %s, with at least %d compared.%n", trim(result.rule().confidence() * 100), percent(result.rule().maxMismatchRate()),
        result.rule().minCompared());
    if (result.endpoints().isEmpty()) {
      out.println(evidence.nothingSeen());
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
