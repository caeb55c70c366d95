package dev.shadowparity.tap;

import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.http.VertxFactory;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.tap.admin.AdminHandler;
import dev.shadowparity.tap.impl.CaptureWriter;
import dev.shadowparity.tap.impl.ClientConnections;
import dev.shadowparity.tap.impl.ComparePool;
import dev.shadowparity.tap.impl.ProxyVerticle;
import dev.shadowparity.tap.impl.RefusedRequests;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tap: a reverse proxy in front of OLD that mirrors sampled safe requests to NEW and compares,
 * plus the admin server on its own port. Start with {@link #start}, stop with {@link #shutdown}.
 */
public final class Tap {

  private static final Logger LOG = LoggerFactory.getLogger(Tap.class);
  /** Connections to OLD across all event loops; NEW has its own, smaller pool so it can never starve OLD. */
  private static final int OLD_POOL = 512;
  private static final int NEW_POOL = 256;

  private final Vertx vertx;
  private final TapConfig tap;
  private final ParityEngine engine;
  private final PrometheusMeterRegistry registry;
  private final ParityMetrics metrics;
  private final ComparePool pool;
  private final CaptureWriter capture;
  private final AtomicInteger shadowInFlight = new AtomicInteger();
  /** Mirrored exchanges not yet compared or skipped; shutdown waits for them before draining the pool. */
  private final AtomicInteger openExchanges = new AtomicInteger();
  private final ByteBudget budget;
  /** Client requests refused at the proxy's edge (bad Host, target or method), by reason. */
  private final RefusedRequests refused = new RefusedRequests();
  private final List<ProxyVerticle> proxies = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();
  private final dev.shadowparity.store.Store store;
  /** The cap and timeouts of client connections, over every proxy instance. */
  private final ClientConnections clients;
  private HttpServer admin;
  /** The listen port's certificate, looked at for changes; null without {@code listen-tls}. */
  private final dev.shadowparity.tap.impl.ListenTlsReloader listenTls;
  /** Each backend's client options with their TLS, built once (files read) before any event loop uses them. */
  private final ProxyVerticle.BackendOptions backendOptions;

  private Tap(Vertx vertx, ParityConfig config, TapConfig tap, dev.shadowparity.baseline.Baseline baseline,
      java.util.Map<String, String> env) {
    if (tap.old() == null || tap.neu() == null) {
      throw new IllegalArgumentException("the tap needs both backends: --old URL and --new URL (or old: and new: in the config)");
    }
    if (tap.adminExposure() != null) {
      throw new IllegalArgumentException(tap.adminExposure());
    }
    if (!tap.hasAdminToken() && !TapConfig.isLoopbackHost(tap.admin().substring(0, tap.admin().lastIndexOf(':')))) {
      LOG.warn("the admin API listens on {} without a token (admin-insecure): anyone who reaches it can read the evidence "
          + "and reset it", tap.admin());
    }
    this.vertx = vertx;
    this.tap = tap;
    // TLS files first (read now, before anything that needs closing is open): a file gone since the load fails the start
    warnTls(tap);
    this.backendOptions = ProxyVerticle.BackendOptions.of(tap);
    this.listenTls = tap.listenTls() == null ? null
        : new dev.shadowparity.tap.impl.ListenTlsReloader(vertx, tap.listenTls(), this::updateListenTls);
    Redaction redaction = Redaction.of(config.redact());
    this.engine = new ParityEngine(config, new Ledger(config.verdict(), config.limits(), config.noise(), redaction, Clock.systemUTC()));
    engine.baseline(baseline);
    if (config.grpc().reflection()) {
      // gRPC calls of services no descriptor set names are decoded with each backend's server reflection, asked from
      // the compare pool when such a call is first compared (never from an event loop); the clients close with Vert.x
      long timeout = config.grpc().reflectionTimeoutDuration().toMillis();
      // with each backend's tls: block, as the proxy reaches it (a private CA, a client certificate, its server-name as
      // SNI and the name checked, the connection to the URL's address)
      engine.grpcSchemas().reflectOn(new dev.shadowparity.grpc.GrpcReflection(vertx, java.net.URI.create(tap.old()), timeout,
              dev.shadowparity.tap.impl.TlsOptions.client(new io.vertx.core.http.HttpClientOptions(),
                  dev.shadowparity.http.Backend.parse("old", tap.old()), tap.tls().old()), tap.tls().old().serverName()),
          new dev.shadowparity.grpc.GrpcReflection(vertx, java.net.URI.create(tap.neu()), timeout,
              dev.shadowparity.tap.impl.TlsOptions.client(new io.vertx.core.http.HttpClientOptions(),
                  dev.shadowparity.http.Backend.parse("new", tap.neu()), tap.tls().neu()), tap.tls().neu().serverName()));
    }
    dev.shadowparity.store.StoreLocation location = tap.store().inMemory() ? null
        : dev.shadowparity.store.StoreLocation.parse(tap.store().file(), env);
    this.store = dev.shadowparity.store.Store.open(location,
        tap.store().tapId() != null ? tap.store().tapId() : dev.shadowparity.store.StoreReader.host(), engine.ledger(),
        tap.store().flushInterval(), engine::reset);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new ParityMetrics(registry, engine.ledger(), config.limits().maxMetricFields());
    metrics.bindRecordingFailures(engine);
    metrics.bindStore(store);
    try {
      this.capture = tap.capture().file() == null ? null
          : new CaptureWriter(Path.of(tap.capture().file()), tap.capture().maxBytes(), tap.capture().keep(), redaction,
              config.limits().maxDecodedBytes(), metrics::captureDropped).grpcBodies(tap.capture().grpcBodies());
    } catch (IOException e) {
      store.close();
      throw new UncheckedIOException("cannot open capture file " + tap.capture().file() + ": " + e.getMessage(), e);
    }
    this.budget = new ByteBudget(config.limits().maxBufferedBytes());
    // the one recording path: every outcome goes to the ledger (persisted by the store), then to these listeners
    engine.addListener(metrics);
    if (capture != null) {
      engine.addListener(capture);
    }
    this.pool = new ComparePool(engine, config.limits().compareThreads(), config.limits().compareQueue(), budget);
    metrics.bindGauges(shadowInFlight::get, pool::queued, pool::active, budget::used);
    metrics.bindRefused(refused);
    this.clients = clientConnections(config, tap);
    metrics.bindClients(clients);
    if (listenTls != null) {
      metrics.bindListenTls(listenTls);
    }
  }

  /** Says at start what the TLS settings leave open: a backend whose name is not verified, a block never used. */
  private static void warnTls(TapConfig tap) {
    String[][] backends = {{"old", tap.old()}, {"new", tap.neu()}, {"old-secondary", tap.oldSecondary()}};
    dev.shadowparity.config.TlsConfig.Backend[] blocks = {tap.tls().old(), tap.tls().neu(), tap.tls().oldSecondary()};
    for (int i = 0; i < backends.length; i++) {
      String url = backends[i][1];
      boolean https = url != null && url.regionMatches(true, 0, "https:", 0, 6);
      if (!https && !blocks[i].isDefault()) {
        LOG.warn("tls.{} is set but {} is {}: the block is not used (only https:// backends use TLS)", backends[i][0],
            backends[i][0], url == null ? "not given" : "an http:// URL");
      } else if (https && !blocks[i].verifyHostname()) {
        LOG.warn("tls.{}.verify-hostname is false: the tap does not check that {}'s certificate names {}; any certificate "
            + "from a trusted CA is accepted (a man in the middle with one is not noticed)", backends[i][0],
            backends[i][0], blocks[i].serverName() != null ? blocks[i].serverName() : java.net.URI.create(url).getHost());
      }
    }
  }

  /** Gives every proxy server a reloaded certificate; fails when one of them refused it. */
  private Future<?> updateListenTls(io.vertx.core.net.ServerSSLOptions ssl) {
    List<ProxyVerticle> all;
    synchronized (proxies) {
      all = new ArrayList<>(proxies);
    }
    return Future.all(all.stream().map(p -> p.updateSsl(ssl)).toList());
  }

  /**
   * The cap on client connections ({@code limits.max-client-connections}, by default what the open-file limit leaves
   * room for) and the client timeouts.
   */
  private static ClientConnections clientConnections(ParityConfig config, TapConfig tap) {
    int instances = config.limits().eventLoops();
    int[] pools = tap.oldSecondary() == null
        ? new int[] {oldPoolSize(instances) * instances, newPoolSize(instances) * instances}
        : new int[] {oldPoolSize(instances) * instances, newPoolSize(instances) * instances, newPoolSize(instances) * instances};
    long fileLimit = ClientConnections.openFileLimit();
    int fits = ClientConnections.defaultMax(fileLimit, pools, Runtime.getRuntime().maxMemory());
    Integer configured = config.limits().maxClientConnections();
    if (configured != null && configured > fits && fileLimit > 0) {
      LOG.warn("limits.max-client-connections {} is more than the open-file limit ({}) and the heap leave room for ({}): "
          + "past that, accept may fail with 'Too many open files' (raise ulimit -n)", configured, fileLimit, fits);
    }
    int max = configured != null ? configured : fits;
    TapConfig.TimeoutsConfig t = tap.timeouts();
    LOG.info("client connections: at most {} open{}; timeouts: head {}, keep-alive {}, body {}, send {}", max,
        fileLimit > 0 ? " (open-file limit " + fileLimit + ")" : "", t.clientHeader(), t.clientKeepAlive(), t.clientBody(),
        t.clientSend());
    return new ClientConnections(max, t.clientHeaderTimeout(), t.clientKeepAliveTimeout(), t.clientBodyTimeout(),
        t.clientSendTimeout());
  }

  private static int oldPoolSize(int instances) {
    return Math.max(8, OLD_POOL / instances);
  }

  private static int newPoolSize(int instances) {
    return Math.max(8, NEW_POOL / instances);
  }

  /**
   * A Vert.x instance sized for a sidecar: {@code limits.event-loops} event loops on the transport
   * {@code limits.transport} names ({@link VertxFactory}).
   */
  public static Vertx newVertx(ParityConfig config) {
    return VertxFactory.create(config.limits().eventLoops(), config.limits().transport());
  }

  /** The transport for a {@code limits.transport} value ({@link VertxFactory#transport}). */
  public static Transport transport(String wanted) {
    return VertxFactory.transport(wanted);
  }

  /** Starts the proxy and admin servers; fails with a clear message when a port is taken. */
  public static Future<Tap> start(Vertx vertx, ParityConfig config, TapConfig tap) {
    return start(vertx, config, tap, dev.shadowparity.baseline.Baseline.NONE);
  }

  /**
   * As {@link #start(Vertx, ParityConfig, TapConfig)}, judging with a baseline of accepted differences from the first
   * exchange on (the admin page can add entries to its file).
   */
  public static Future<Tap> start(Vertx vertx, ParityConfig config, TapConfig tap, dev.shadowparity.baseline.Baseline baseline) {
    return start(vertx, config, tap, baseline, java.util.Map.of());
  }

  /**
   * As {@link #start(Vertx, ParityConfig, TapConfig, dev.shadowparity.baseline.Baseline)}, with the environment the
   * command read ({@code PGPASSWORD} for a PostgreSQL store whose URI has no password): the library never reads it.
   */
  public static Future<Tap> start(Vertx vertx, ParityConfig config, TapConfig tap, dev.shadowparity.baseline.Baseline baseline,
      java.util.Map<String, String> env) {
    Tap t;
    try {
      t = new Tap(vertx, config, tap, baseline, env);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // a start that fails half-way (e.g. the admin port is taken) gives back what it had started
    return t.listen().map(v -> t).recover(err -> t.shutdown(0).transform(x -> Future.failedFuture(err)));
  }

  /**
   * Deploys one proxy instance per event loop on the same port: a server created outside a verticle
   * would serve every connection from a single event loop. All instances listen on the same port and
   * Vert.x spreads the accepted connections over them.
   */
  private Future<Void> listen() {
    int instances = engine.config().limits().eventLoops();
    ProxyVerticle.Shared shared = new ProxyVerticle.Shared(tap, engine, pool, shadowInFlight, openExchanges, budget,
        oldPoolSize(instances), newPoolSize(instances), refused, clients, listenTls == null ? null : listenTls.initial(), backendOptions);
    int colon = tap.listen().lastIndexOf(':');
    String host = tap.listen().substring(0, colon);
    int configured = Integer.parseInt(tap.listen().substring(colon + 1));
    // Vert.x shares a server port among instances that ask for the same port; a negative port means
    // "one random port shared by all who ask for it", which is what port 0 means here.
    int port = configured == 0 ? -1 : configured;
    admin = vertx.createHttpServer(new HttpServerOptions()).requestHandler(
        new AdminHandler(vertx, engine, store, registry, tap.admin(), tap.adminHosts(), tap.adminToken()));
    return deploy(shared, host, port)
        .recover(err -> Future.failedFuture(bindError(tap.listen(), "listen", err)))
        .compose(first -> {
          Future<Void> rest = Future.succeededFuture();
          for (int i = 1; i < instances; i++) {
            rest = rest.compose(v -> deploy(shared, host, port).mapEmpty());
          }
          return rest;
        })
        .compose(v -> admin.listen(adminPort(tap.admin()), tap.admin().substring(0, tap.admin().lastIndexOf(':')))
            .recover(err -> Future.failedFuture(bindError(tap.admin(), "admin", err))))
        .andThen(ar -> {
          if (ar.succeeded() && listenTls != null) {
            listenTls.start();
          }
        })
        .mapEmpty();
  }

  private Future<Integer> deploy(ProxyVerticle.Shared shared, String host, int port) {
    ProxyVerticle v = new ProxyVerticle(shared, host, port);
    return vertx.deployVerticle(v).map(id -> {
      synchronized (proxies) {
        proxies.add(v);
        deployments.add(id);
      }
      return v.actualPort();
    });
  }

  private static int adminPort(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static IllegalStateException bindError(String hostPort, String what, Throwable err) {
    return new IllegalStateException("cannot " + (what.equals("listen") ? "listen" : "serve the admin API") + " on " + hostPort
        + ": " + (err instanceof java.net.BindException ? "the port is taken or the address is not local" : err.getMessage())
        + " (choose another with --" + what + ")", err);
  }

  public int proxyPort() {
    return proxies.get(0).actualPort();
  }

  public int adminPort() {
    return admin.actualPort();
  }

  public ParityEngine engine() {
    return engine;
  }

  /** Where the evidence is kept. */
  public dev.shadowparity.store.Store store() {
    return store;
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
    if (listenTls != null) {
      listenTls.stop();
    }
    List<Future<Void>> stops = new ArrayList<>();
    proxies.forEach(p -> stops.add(p.shutdown(graceMillis)));
    return Future.join(stops)
        .eventually(() -> vertx.executeBlocking(() -> {
          long deadline = System.nanoTime() + graceMillis * 1_000_000;
          while (openExchanges.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // the last responses' handlers hand their exchanges to the pool
          }
          if (!pool.drain(graceMillis)) {
            LOG.warn("comparisons still queued after {} ms were dropped", graceMillis);
          }
          if (capture != null) {
            capture.close();
          }
          store.close();
          return null;
        }, false))
        .eventually(() -> admin.close())
        .eventually(() -> Future.join(deployments.stream().map(vertx::undeploy).toList()))
        .eventually(() -> {
          clients.close();
          return Future.succeededFuture();
        })
        .mapEmpty();
  }
}
