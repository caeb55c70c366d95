package dev.shadowparity.tap;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.tap.impl.AdminHandler;
import dev.shadowparity.tap.impl.CaptureWriter;
import dev.shadowparity.tap.impl.ComparePool;
import dev.shadowparity.tap.impl.ProxyHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tap: a reverse proxy in front of OLD that mirrors sampled safe requests to NEW and compares,
 * plus the admin server on its own port. Start with {@link #start}, stop with {@link #shutdown}.
 */
public final class Tap {

  private static final Logger LOG = LoggerFactory.getLogger(Tap.class);

  private final Vertx vertx;
  private final TapConfig tap;
  private final ParityEngine engine;
  private final PrometheusMeterRegistry registry;
  private final ParityMetrics metrics;
  private final ComparePool pool;
  private final CaptureWriter capture;
  private final HttpClient oldClient;
  private final HttpClient newClient;
  private final AtomicInteger shadowInFlight = new AtomicInteger();
  private HttpServer proxy;
  private HttpServer admin;

  private Tap(Vertx vertx, ParityConfig config, TapConfig tap) {
    if (tap.old() == null || tap.neu() == null) {
      throw new IllegalArgumentException("the tap needs both backends: --old URL and --new URL (or old: and new: in the config)");
    }
    this.vertx = vertx;
    this.tap = tap;
    Set<String> redacted = new HashSet<>(Ledger.DEFAULT_REDACTED_HEADERS);
    tap.redactHeaders().forEach(h -> redacted.add(h.toLowerCase(Locale.ROOT)));
    this.engine = new ParityEngine(config, new Ledger(config.verdict(), config.limits(), Set.copyOf(redacted), Clock.systemUTC()));
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new ParityMetrics(registry, config.limits().maxMetricFields());
    try {
      this.capture = tap.capture().file() == null ? null
          : new CaptureWriter(Path.of(tap.capture().file()), tap.capture().maxBytes(), tap.capture().keep(), Set.copyOf(redacted),
              metrics::captureDropped);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open capture file " + tap.capture().file() + ": " + e.getMessage(), e);
    }
    this.pool = new ComparePool(engine, metrics, capture, config.limits().compareThreads(), config.limits().compareQueue());
    metrics.bindGauges(shadowInFlight::get, pool::queued, pool::active);
    HttpClientOptions common = new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false)
        .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024);
    this.oldClient = vertx.createHttpClient(new HttpClientOptions(common), new PoolOptions().setHttp1MaxSize(512));
    this.newClient = vertx.createHttpClient(new HttpClientOptions(common), new PoolOptions().setHttp1MaxSize(256));
  }

  /** Starts the proxy and admin servers; fails with a clear message when a port is taken. */
  public static Future<Tap> start(Vertx vertx, ParityConfig config, TapConfig tap) {
    Tap t;
    try {
      t = new Tap(vertx, config, tap);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return t.listen().map(v -> t);
  }

  private Future<Void> listen() {
    ProxyHandler handler = new ProxyHandler(vertx, oldClient, newClient, tap, engine, metrics, pool, shadowInFlight);
    // an HTTP/1.x proxy: no h2c upgrade (Upgrade is hop-by-hop and never reaches OLD)
    HttpServerOptions proxyOptions = new HttpServerOptions().setHandle100ContinueAutomatically(false).setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024).setCompressionSupported(false);
    proxy = vertx.createHttpServer(proxyOptions).requestHandler(handler);
    admin = vertx.createHttpServer(new HttpServerOptions()).requestHandler(
        new AdminHandler(vertx, engine, registry, tokenFromEnvOr(tap.adminToken())));
    return bind(proxy, tap.listen(), "listen").compose(p -> bind(admin, tap.admin(), "admin")).mapEmpty();
  }

  private static String tokenFromEnvOr(String configured) {
    String env = System.getenv("PARITY_ADMIN_TOKEN");
    return configured != null ? configured : env;
  }

  private static Future<HttpServer> bind(HttpServer server, String hostPort, String what) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return server.listen(port, host).recover(err -> Future.failedFuture(new IllegalStateException(
        "cannot " + (what.equals("listen") ? "listen" : "serve the admin API") + " on " + hostPort + ": "
            + (err instanceof java.net.BindException ? "the port is taken or the address is not local" : err.getMessage())
            + " (choose another with --" + what + ")", err)));
  }

  public int proxyPort() {
    return proxy.actualPort();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public ParityEngine engine() {
    return engine;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Requests to NEW not yet answered. */
  public int shadowInFlight() {
    return shadowInFlight.get();
  }

  /**
   * Graceful stop: stop accepting, let in-flight requests finish (at most {@code graceMillis}), finish
   * queued comparisons, flush the capture, then close the admin port.
   */
  public Future<Void> shutdown(long graceMillis) {
    return proxy.shutdown(graceMillis, TimeUnit.MILLISECONDS)
        .eventually(() -> vertx.executeBlocking(() -> {
          if (!pool.drain(graceMillis)) {
            LOG.warn("comparisons still queued after {} ms were dropped", graceMillis);
          }
          if (capture != null) {
            capture.close();
          }
          return null;
        }, false))
        .eventually(() -> admin.close())
        .eventually(() -> oldClient.close())
        .eventually(() -> newClient.close())
        .mapEmpty();
  }
}
