package dev.shadowparity.cli;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.replay.CaptureFiles;
import dev.shadowparity.replay.CaptureFormat;
import dev.shadowparity.replay.FailOn;
import dev.shadowparity.replay.ReplayOptions;
import dev.shadowparity.replay.ReplayResult;
import dev.shadowparity.replay.Replayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity replay FILE...}: captured traffic against both stacks (or NEW alone), with reports and an exit code. */
@Command(name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Replays captured requests against OLD and NEW (or against NEW only, comparing with OLD's responses recorded "
            + "in the files) and compares the answers the way the tap does.",
        "Files: the tap's NDJSON capture, HAR 1.2 (browsers, mitmproxy, Charles) or GoReplay .gor; the format is told "
            + "from the content and .gz is read transparently. A corrupt record is reported with its position and "
            + "skipped; the replay goes on.",
        "Exit code: 2 when nothing was judged, whatever --fail-on says (nothing sent: no records, or all skipped; or "
            + "every request sent failed); else 1 when the --fail-on condition holds; else 2 on usage or input errors "
            + "(corrupt records); else 0.",
        "A record over limits.max-record-bytes (--config) is reported with its position and skipped, never held."
    })
final class ReplayCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files, replayed in the order given.")
  List<Path> files;

  @Option(names = "--old", paramLabel = "URL",
      description = "OLD's base URL. Default: none, NEW is compared with the OLD responses recorded in the files.")
  String oldUrl;

  @Option(names = "--new", paramLabel = "URL", required = true, description = "NEW's base URL (required).")
  String newUrl;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config: rules, routes, verdict, limits (docs/configuration.md). Default: built-in rules.")
  Path config;

  @Option(names = "--format", paramLabel = "F", description = "tap, har or gor for every file. Default: told from each file's content.")
  String format;

  @Option(names = "--rate", paramLabel = "N", description = "At most N requests per second. Default: no cap.")
  double rate;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Requests in flight at most (each to both backends). Default: ${DEFAULT-VALUE}.")
  int concurrency = ReplayOptions.DEFAULT_CONCURRENCY;

  @Option(names = "--speed", paramLabel = "X",
      description = "Keep the recorded gaps between requests, divided by X (2 = twice as fast). Default: as fast as "
          + "--rate and --concurrency allow.")
  double speed;

  @Option(names = "--limit", paramLabel = "N", description = "Send at most N requests. Default: all.")
  long limit;

  @Option(names = "--include", paramLabel = "REGEX",
      description = "Replay only requests whose 'METHOD /path?query' matches (find, not whole match).")
  String include;

  @Option(names = "--exclude", paramLabel = "REGEX", description = "Do not replay requests whose 'METHOD /path?query' matches.")
  String exclude;

  @Option(names = "--host", paramLabel = "NAME",
      description = "Replay only requests to this host (host or host:port; repeatable); the others are counted as "
          + "other-host. Default: for a HAR, the host most of its requests went to (printed); else every host.")
  List<String> hosts = new java.util.ArrayList<>();

  @Option(names = "--allow-unsafe",
      description = "Also replay methods other than GET, HEAD and OPTIONS (POST, PUT, DELETE... have side effects). "
          + "Default: they are skipped and counted as unsafe-method.")
  boolean allowUnsafe;

  @Option(names = "--noise-probe",
      description = "Send every request to OLD twice: fields where OLD's two answers differ (ids, timestamps, tokens) "
          + "are noise, not mismatches (needs --old). Without it, noise is still learned from repeated identical "
          + "requests in the files.")
  boolean noiseProbe;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Deadline for each backend's whole answer, e.g. 30s or 500ms. Default: 30s.")
  String timeout = "30s";

  @Mixin
  ReportFiles reports;

  @Option(names = "--progress", paramLabel = "MODE",
      description = "auto (a live line on a terminal, a log line every 10 s otherwise), line, log or none. "
          + "Default: ${DEFAULT-VALUE}.")
  String progress = "auto";

  /**
   * Hidden, for tests: the period of the {@code log} progress lines (10 s by default), so that a test can see
   * several of them without a replay that lasts tens of seconds.
   */
  @Option(names = "--progress-log-period", hidden = true, paramLabel = "DURATION")
  String progressLogPeriod = "10s";

  @picocli.CommandLine.Mixin
  BaselineOption baseline;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReplayOptions options;
    dev.shadowparity.baseline.Baseline accepted;
    FailOn fail;
    long logPeriodMillis;
    ParityConfig cfg;
    try {
      cfg = ConfigLoader.load(config);
      accepted = baseline.load(err, "parity replay");
      fail = reports.failOn();
      options = new ReplayOptions().setNewUrl(url("--new", newUrl)).setOldUrl(oldUrl == null ? null : url("--old", oldUrl))
          .setConcurrency(concurrency).setRate(rate).setSpeed(speed).setLimit(limit).setAllowUnsafe(allowUnsafe).setNoiseProbe(noiseProbe)
          .setTimeout(duration("--timeout", timeout)).setInclude(regex("--include", include))
          .setExclude(regex("--exclude", exclude)).setFormat(format == null ? null : CaptureFormat.fromName(format))
          .setHosts(hosts);
      if (!List.of("auto", "line", "log", "none").contains(progress)) {
        throw new IllegalArgumentException("--progress: '" + progress + "' is not one of auto, line, log, none");
      }
      logPeriodMillis = duration("--progress-log-period", progressLogPeriod).toMillis();
    } catch (ConfigException e) {
      err.println("parity replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      err.println("parity replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }

    Replayer replayer;
    try {
      ParityEngine engine = new ParityEngine(cfg);
      engine.baseline(accepted);
      replayer = new Replayer(engine, options, p -> err.println("parity replay: corrupt record skipped: " + p));
    } catch (IllegalArgumentException e) {
      err.println("parity replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    String mode = progress.equals("auto") ? (System.console() != null ? "line" : "log") : progress;
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "replay-progress");
      t.setDaemon(true);
      return t;
    });
    if (!mode.equals("none")) {
      long period = mode.equals("line") ? 500 : logPeriodMillis;
      ticker.scheduleAtFixedRate(() -> printProgress(err, replayer.progress(), limit, mode.equals("line")), period, period,
          TimeUnit.MILLISECONDS);
    }
    ReplayResult result;
    try {
      result = replayer.run(files);
    } catch (CaptureFiles.UnknownFormatException e) {
      err.println("parity replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } catch (NoSuchFileException e) {
      err.println("parity replay: " + e.getFile() + ": no such readable file");
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("parity replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    } finally {
      ticker.shutdownNow();
    }
    // a tick still printing would land after the summary
    if (!ticker.awaitTermination(2, TimeUnit.SECONDS)) {
      err.println("parity replay: the progress printer did not stop within 2 s");
    }
    if (mode.equals("line")) {
      err.print("\r\033[K");
    }
    printProgress(err, replayer.progress(), limit, false);

    ReplayResult.Input in = result.input();
    String nothing = nothingSent(in, result.report());
    String allFailed = nothing == null ? nothingCompared(result, options) : null;
    if (nothing != null || allFailed != null) {
      result = result.notJudged(nothing != null ? nothing : allFailed);
    }
    try {
      reports.write(result, fail);
    } catch (IOException e) {
      err.println("parity replay: cannot write a report: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    dev.shadowparity.render.TextSummary.write(out, result.report(), "in the --json report");
    inputSummary(out, in, result.report());
    if (nothing != null) {
      if (in.corrupt() > 0) {
        out.println("INPUT ERRORS: " + in.corrupt() + " corrupt records were skipped (listed on stderr and in the reports).");
      }
      out.println(nothing);
      return ExitCodes.BAD_INPUT;
    }
    if (allFailed != null) {
      out.println(allFailed);
      return ExitCodes.BAD_INPUT;
    }
    if (in.corrupt() > 0) {
      out.println("INPUT ERRORS: " + in.corrupt() + " corrupt records were skipped (listed on stderr and in the reports); "
          + "parity is not claimed on incomplete input.");
    }
    if (fail.holds(result.report())) {
      out.println("FAILED: at least one endpoint fails under --fail-on " + fail.wireName() + ".");
      return ExitCodes.DIFFERENT;
    }
    noteUnprovenDifferences(out, result.report(), fail);
    return in.corrupt() > 0 ? ExitCodes.BAD_INPUT : ExitCodes.OK;
  }

  /** What the files held besides the compared requests: hosts kept, records not sent and why, parts not compared. */
  private static void inputSummary(PrintWriter out, ReplayResult.Input in, dev.shadowparity.report.Report report) {
    for (ReplayResult.FileInput f : in.files()) {
      if (f.records() == 0 && in.records() > 0) {
        out.println(f.file() + ": no records");
      }
      if (f.hostChosen()) {
        out.println(f.file() + ": replayed only the requests to host " + String.join(", ", f.hosts())
            + " (the host most of them went to; --host NAME to choose others)");
      }
    }
    if (!in.ignored().isEmpty()) {
      out.println("Not replayed: " + in.ignored().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
          .collect(java.util.stream.Collectors.joining(", ")) + (in.otherHosts().isEmpty() ? ""
          : " (other hosts: " + in.otherHosts().entrySet().stream().limit(8).map(e -> e.getKey() + " " + e.getValue())
              .collect(java.util.stream.Collectors.joining(", ")) + (in.otherHosts().size() > 8 ? ", ..." : "") + ")"));
    }
    if (in.unconditioned() > 0) {
      out.println(in.unconditioned() + " recorded revalidations (a 200 the browser served from its cache) were sent to NEW "
          + "without If-None-Match/If-Modified-Since, so that it answers the same representation");
    }
    long notRecorded = report.endpoints().stream()
        .mapToLong(e -> e.partsNotCompared().getOrDefault(dev.shadowparity.engine.Unrecorded.BODY.reason(), 0L)).sum();
    if (notRecorded > 0) {
      out.println(notRecorded + " answers compared on status and headers only: OLD's body was not recorded in the capture");
    }
  }

  /**
   * When no request was sent, why ({@code NOTHING COMPARED: no records in app.har: ...}); {@code null} when some were.
   * Nothing compared is never a pass, whatever {@code --fail-on} says: an empty capture (a recording that failed) or
   * filters that leave nothing would otherwise pass CI without checking anything.
   */
  static String nothingSent(ReplayResult.Input in, dev.shadowparity.report.Report report) {
    if (in.sent() > 0) {
      return null;
    }
    if (in.records() == 0) {
      return "NOTHING COMPARED: no records in " + in.files().stream().map(ReplayResult.FileInput::file)
          .collect(java.util.stream.Collectors.joining(", ")) + ": nothing to compare; parity is not claimed on an empty "
          + "input.";
    }
    Map<String, Long> why = new java.util.TreeMap<>();
    if (in.corrupt() > 0) {
      why.put("corrupt", in.corrupt());
    }
    in.ignored().forEach((k, n) -> why.merge(k, n, Long::sum));
    report.endpoints().forEach(e -> e.skipped().forEach((k, n) -> why.merge(k, n, Long::sum)));
    String reasons = why.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
    return "NOTHING COMPARED: none of the " + in.records() + " records read was sent (" + reasons + "); parity is not "
        + "claimed when nothing was compared.";
  }

  /**
   * When requests were sent and none was compared (every one failed at a backend), why, in one line: the backend and
   * the failure when all failed the same way ({@code NEW http://127.0.0.1:8002: could not connect ... for all 312
   * requests}), else the failures by kind; {@code null} when something was compared. Never a verdict: exit 2.
   */
  static String nothingCompared(ReplayResult result, ReplayOptions options) {
    long sent = result.input().sent();
    dev.shadowparity.report.Report.Totals t = result.report().totals();
    if (sent == 0 || t.compared() > 0 || t.notComparable() > 0) {
      return null;
    }
    Map<String, Long> kinds = new java.util.TreeMap<>();
    result.report().endpoints().forEach(e -> e.errorKinds().forEach((k, n) -> kinds.merge(k, n, Long::sum)));
    if (kinds.size() != 1 || t.errors() != sent) {
      return "INPUT ERRORS: nothing was compared: the " + sent + " requests sent failed ("
          + kinds.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
          + ").";
    }
    String kind = kinds.keySet().iterator().next();
    boolean isOld = kind.startsWith("old:");
    String what = switch (kind.substring(kind.indexOf(':') + 1)) {
      case "connect" -> "could not connect (refused or unreachable)";
      case "timeout" -> "no answer within the timeout";
      case "reset" -> "the connection was reset";
      case "protocol" -> "the answer was not valid HTTP";
      case "tls" -> "the TLS handshake failed (certificate or protocol; the samples say why)";
      default -> kind;
    };
    return "INPUT ERRORS: " + (isOld ? "OLD " + shown(options.oldUrl()) : "NEW " + shown(options.newUrl())) + ": " + what
        + " for all " + sent + " requests; nothing was compared.";
  }

  /** A backend URL as it may be shown: scheme, host, port and path, never a user, password or query. */
  static String shown(String url) {
    try {
      java.net.URI u = java.net.URI.create(url);
      return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
          + (u.getRawPath() == null ? "" : u.getRawPath());
    } catch (IllegalArgumentException e) {
      return "(the URL given)";
    }
  }

  /**
   * Under {@code --fail-on failing}, endpoints that did differ but on too few exchanges to be FAILING (one
   * mismatch in a short capture) do not fail the run; says so, so that a difference is never passed over in silence.
   */
  static void noteUnprovenDifferences(PrintWriter out, dev.shadowparity.report.Report report, FailOn fail) {
    if (fail != FailOn.FAILING) {
      return;
    }
    long differing = report.endpoints().stream().filter(e -> e.failures() > 0).count();
    if (differing > 0) {
      out.println("Note: " + differing + (differing == 1 ? " endpoint differs" : " endpoints differ")
          + " on too few exchanges to be FAILING (see above); --fail-on mismatch fails on any difference.");
    }
  }

  private static void printProgress(PrintWriter err, Replayer.Progress p, long limit, boolean line) {
    double secs = p.elapsedNanos() / 1e9;
    double rate = secs > 0 ? p.completed() / secs : 0;
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%,d done", p.completed()));
    if (limit > 0) {
      b.append(String.format(Locale.ROOT, "/%,d", limit));
      if (rate > 0 && p.completed() < limit) {
        long eta = (long) ((limit - p.completed()) / rate);
        b.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
      }
    } else if (p.bytesTotal() > 0) {
      double fraction = Math.min(1, (double) p.bytesRead() / p.bytesTotal());
      b.append(String.format(Locale.ROOT, " (%.0f%% of the input)", fraction * 100));
      if (fraction > 0.01 && fraction < 1) {
        long eta = (long) (secs / fraction - secs);
        b.append(String.format(Locale.ROOT, ", ETA %d:%02d", eta / 60, eta % 60));
      }
    }
    b.append(String.format(Locale.ROOT, ", %,.0f/s, %,d mismatched", rate, p.mismatched()));
    if (p.corrupt() > 0) {
      b.append(String.format(Locale.ROOT, ", %,d corrupt records", p.corrupt()));
    }
    if (line) {
      err.print("\r\033[K" + b);
      err.flush();
    } else {
      err.println("parity replay: " + b);
    }
  }

  private static String url(String option, String value) {
    try {
      URI u = new URI(value);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException(option + ": '" + value + "' is not an http:// or https:// URL with a host");
      }
      return value;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(option + ": '" + value + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static Pattern regex(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(option + ": not a regular expression: " + e.getDescription() + " in '" + value + "'",
          e);
    }
  }

  private static Duration duration(String option, String value) {
    return TapConfig.parseDuration(value, option);
  }
}
