package dev.shadowparity.cli;

import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity tap}: the live sidecar. */
@Command(name = "tap",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs the live tap: a reverse proxy in front of the OLD backend. Clients always get OLD's response;",
        "a sampled copy of each safe request goes to NEW at the same time and both answers are compared.",
        "Every option can also be set in the YAML config (same names); options given here win.",
        "Stops gracefully on SIGTERM or Ctrl-C: stops accepting, finishes in-flight requests, flushes results."
    })
final class TapCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--old", paramLabel = "URL", description = "The OLD backend, e.g. http://127.0.0.1:8001 (config key: old). Required.")
  String old;

  @Option(names = "--old-secondary", paramLabel = "URL",
      description = "A second OLD instance, asked every mirrored request too: fields where the two OLD answers differ "
          + "(ids, timestamps, tokens) are noise, not mismatches (config key: old-secondary). Default: none; noise is "
          + "then learned from repeated identical requests.")
  String oldSecondary;

  @Option(names = "--new", paramLabel = "URL", description = "The NEW backend, e.g. http://127.0.0.1:8002 (config key: new). Required.")
  String neu;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where clients connect. Default: " + TapConfig.DEFAULT_LISTEN + ".")
  String listen;

  @Option(names = "--admin", paramLabel = "HOST:PORT",
      description = "Admin API (/health, /metrics, /api/report, ...); never on the proxy port. Default: " + TapConfig.DEFAULT_ADMIN + ". "
          + "Set admin-token in the config or PARITY_ADMIN_TOKEN to require a bearer token; an address other than "
          + "loopback without one needs --admin-insecure.")
  String admin;

  @Option(names = "--admin-host", paramLabel = "NAME", split = ",",
      description = "A DNS name the admin port is reached by (repeatable, or comma-separated), e.g. tap.internal; "
          + ".domain takes its subdomains too. IP addresses, localhost and the --admin host always work; a request with another Host "
          + "is refused, so that a DNS-rebinding page cannot read the admin (config key: admin-hosts; given here, "
          + "replaces the file's list).")
  java.util.List<String> adminHosts;

  @Option(names = "--admin-insecure",
      description = "Serve the admin API on a non-loopback address without a token (anyone who reaches it can read "
          + "and reset the evidence); without this such a tap refuses to start (config key: admin-insecure).")
  boolean adminInsecure;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (docs/configuration.md). Default: built-in defaults.")
  Path config;

  @Option(names = "--capture", paramLabel = "FILE",
      description = "Append every compared exchange to this NDJSON file (docs/capture-format.md), rotated by size. Default: none.")
  String capture;

  @Option(names = "--store", paramLabel = "FILE|URI",
      description = {"SQLite file that keeps the evidence across restarts, flushed every store.flush (1s; a kill -9 "
          + "loses at most that); none keeps it in memory only (config key: store.file).",
          "Or a PostgreSQL database shared by a fleet of taps: postgresql://[user[:password]@]host[:port]/database"
          + "[?sslmode=...], the password also from PGPASSWORD (docs/fleet.md).",
          "Default: " + StoreEvidence.DEFAULT_FILE + " in the working directory."})
  String store;

  @Option(names = "--tap-id", paramLabel = "ID",
      description = "Which tap this is, in a shared store's rows and its fleet view (config key: store.tap-id). "
          + "Default: the host name (a pod's name in Kubernetes).")
  String tapId;

  @Option(names = "--sample-rate", paramLabel = "RATE",
      description = "Fraction of eligible requests mirrored to NEW, 0 to 1. Default: " + TapConfig.DEFAULT_SAMPLE_RATE + ".")
  Double sampleRate;

  @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
      description = "On shutdown, how long in-flight requests and queued comparisons may take. Default: ${DEFAULT-VALUE}.")
  long graceSeconds;

  @picocli.CommandLine.Mixin
  BaselineOption baseline;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ParityConfig engineConfig;
    TapConfig tapConfig;
    dev.shadowparity.baseline.Baseline accepted;
    try {
      accepted = baseline.load(err, "parity tap");
      dev.shadowparity.config.ConfigFile whole = ConfigLoader.loadFile(config); // one parse, both parts checked
      engineConfig = whole.engine();
      TapConfig file = whole.tap();
      tapConfig = file.override().listen(listen).admin(admin).old(old).neu(neu).sampleRate(sampleRate)
          .captureFile(capture).oldSecondary(oldSecondary).adminHosts(adminHosts).adminInsecure(adminInsecure)
          // the environment is read here, by the command, never by the library: the file's token wins
          .adminToken(file.adminToken() == null ? System.getenv("PARITY_ADMIN_TOKEN") : null)
          .storeFile(store != null ? store : file.store().file() == null ? StoreEvidence.DEFAULT_FILE : null)
          .tapId(tapId)
          .apply();
      if (!tapConfig.store().inMemory()) {
        StoreEvidence.locate(tapConfig.store().file()); // a malformed URI is a usage error, named before anything starts
      }
    } catch (ConfigException | IllegalArgumentException | dev.shadowparity.store.StoreException e) {
      err.println("parity tap: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (tapConfig.old() == null || tapConfig.neu() == null) {
      err.println("parity tap: both backends are needed: --old URL and --new URL (or old: and new: in the config)");
      return ExitCodes.BAD_INPUT;
    }
    Vertx vertx;
    try {
      vertx = Tap.newVertx(engineConfig);
    } catch (IllegalArgumentException e) {
      err.println("parity tap: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    Tap tap;
    try {
      // the environment is read here, by the command: PGPASSWORD for a store URI without a password
      tap = Tap.start(vertx, engineConfig, tapConfig, accepted, System.getenv()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      err.println("parity tap: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
      vertx.close();
      return ExitCodes.BAD_INPUT;
    }
    out.printf("Shadow Parity tap: http://%s -> OLD %s, mirroring to NEW %s (sample rate %s)%n",
        hostPort(tapConfig.listen(), tap.proxyPort()), tapConfig.old(), tapConfig.neu(), tapConfig.sampleRate());
    out.printf("Admin: http://%s/ (page)  /api/report  /api/gate  /metrics  /health%n", hostPort(tapConfig.admin(), tap.adminPort()));
    out.printf("Evidence: %s%n", tap.store().location() == null ? "in memory only (--store none)"
        : tap.store().location().postgres()
            ? tap.store().location() + " as tap " + tap.store().tapId() + (tap.store().period() < 0
                ? " (connecting; counts wait in memory until it answers, /health says DEGRADED meanwhile)"
                : ", period " + tap.store().period())
                + " (parity report / parity gate --store " + tap.store().location() + ")"
            : tap.store().location() + ", period " + tap.store().period() + " (parity report / parity gate --store "
                + tap.store().location() + ")");
    if (baseline.file != null) {
      out.printf("Baseline: %s, %d accepted difference(s)%s%n", baseline.file, accepted.entries().size(),
          tapConfig.adminToken() == null ? "" : " (the admin page can add more)");
    }
    out.flush();
    UntilSignal.run(tap, vertx, graceSeconds * 1000, err, "tap");
    return ExitCodes.OK;
  }

  static String hostPort(String configured, int actualPort) {
    return configured.substring(0, configured.lastIndexOf(':')) + ":" + actualPort;
  }
}
