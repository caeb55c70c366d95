package dev.shadowparity.tap;

import dev.shadowparity.EvidenceListener;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.NotComparableReason;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.ledger.SkipReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The tap's meters, and an {@link EvidenceListener} of the one recording path. Every tag value comes from a bounded
 * set: templated endpoints (capped by the templater), enums, and per endpoint at most {@code maxFields} field keys
 * (the rest tagged {@code other}). Counters are monotonic so that a fleet of taps sums with {@code sum by
 * (endpoint)}; latency is a histogram with fixed buckets so that p99 can be computed across taps.
 *
 * <p>The counts are read from the ledger itself (function counters, as Micrometer's cache binders read a cache's
 * statistics), so {@code /metrics} and the report are one book: per endpoint, {@code parity_exchanges_total} by
 * outcome is the report's matched, noiseOnly, mismatched, errors, notComparable and skipped;
 * {@code parity_reclassified_total} its reclassified. They count from 0 when the tap starts: counts loaded from its
 * store are in the report, not in the counters (Prometheus reads a counter that starts lower as a restart).
 *
 * <ul>
 *   <li>{@code parity.exchanges} (endpoint, outcome=match|noise|accepted|mismatch|error|not-comparable|skipped)</li>
 *   <li>{@code parity.reclassified} (endpoint): recorded mismatches whose fields all became noise afterwards</li>
 *   <li>{@code parity.skipped} (endpoint, reason)</li>
 *   <li>{@code parity.not.comparable} (endpoint, reason)</li>
 *   <li>{@code parity.mismatch.fields} (endpoint, field)</li>
 *   <li>{@code parity.backend.errors} (endpoint, backend=old|new, kind), registered at zero with the endpoint</li>
 *   <li>{@code parity.backend.latency} timer (endpoint, backend)</li>
 *   <li>gauges {@code parity.shadow.in.flight}, {@code parity.compare.queue}, {@code parity.compare.active},
 *       {@code parity.buffered} (bytes)</li>
 *   <li>{@code parity.capture.dropped}, {@code parity.recording.failures}</li>
 *   <li>{@code parity.refused.requests} (reason): client requests refused at the proxy's edge, never forwarded</li>
 *   <li>gauges {@code parity.client.connections}, {@code parity.client.connections.max}; counters
 *       {@code parity.client.connections.refused}, {@code parity.client.timeouts} (kind)</li>
 * </ul>
 */
public final class ParityMetrics implements EvidenceListener {

  /** Latency buckets (histogram boundaries) shared by every tap, so fleets aggregate. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
  static final String OTHER_FIELD = "other";
  /** Values of the {@code backend} tag. */
  private static final String[] BACKENDS = {"old", "new"};

  private final MeterRegistry registry;
  private final Ledger ledger;
  private final int maxFields;
  private final Map<String, Set<String>> fieldsPerEndpoint = new ConcurrentHashMap<>();
  /** Meters by endpoint, so the hot path does one map lookup instead of building meter ids. */
  private final Map<String, EndpointMeters> meters = new ConcurrentHashMap<>();
  /** What the ledger held of each counter when the tap started (loaded from the store); cleared at a new period. */
  private final Map<String, Long> baseline = new ConcurrentHashMap<>();
  private boolean starting = true;

  /** The meters of one endpoint, made on first use; the counts read the ledger. */
  private final class EndpointMeters {
    final Map<String, Timer> latency = new ConcurrentHashMap<>(4);
    final String endpoint;

    io.micrometer.core.instrument.Tags endpointTags(String backend) {
      return io.micrometer.core.instrument.Tags.of("endpoint", endpoint, "backend", backend);
    }

    EndpointMeters(String endpoint) {
      this.endpoint = endpoint;
      for (Outcome.Kind k : Outcome.Kind.values()) {
        counter("parity.exchanges", "Exchanges seen by the tap, by endpoint and outcome (each exchange once, as recorded)",
            Tags.of("endpoint", endpoint, "outcome", k.wireName()), l -> l.count(endpoint, k));
      }
      counter("parity.reclassified", "Recorded mismatches whose differing fields all became noise afterwards",
          Tags.of("endpoint", endpoint), l -> l.reclassified(endpoint));
      for (SkipReason r : SkipReason.values()) {
        counter("parity.skipped", "Exchanges not compared, by reason", Tags.of("endpoint", endpoint, "reason", r.wireName()),
            l -> l.skipped(endpoint, r));
      }
      for (NotComparableReason r : NotComparableReason.values()) {
        counter("parity.not.comparable", "Exchanges whose answers could not be judged, by reason (failures in the verdict)",
            Tags.of("endpoint", endpoint, "reason", r.wireName()), l -> l.notComparable(endpoint, r));
      }
      // registered at zero, like the outcomes and skips: an error-rate query then gives 0 for an endpoint
      // whose backends never failed, instead of no data
      for (String backend : BACKENDS) {
        for (BackendFailure.Kind k : BackendFailure.Kind.values()) {
          counter("parity.backend.errors", "Backend failures (timeout, connect, reset, protocol, not-sent), by backend",
              Tags.of("endpoint", endpoint, "backend", backend, "kind", k.wireName()), l -> l.backendErrors(endpoint, backend, k));
        }
      }
    }
  }

  /**
   * A counter that reads the ledger, less what the ledger held when this tap started (counts loaded from its store):
   * the counter starts at 0 with the process, as Prometheus expects, so that {@code increase()} across a restart
   * counts what happened, never the stored past again.
   */
  private void counter(String name, String description, Tags tags, java.util.function.ToLongFunction<Ledger> read) {
    String key = name + tags;
    if (starting) {
      baseline.put(key, read.applyAsLong(ledger));
    }
    FunctionCounter.builder(name, ledger, l -> Math.max(0, read.applyAsLong(l) - baseline.getOrDefault(key, 0L)))
        .description(description).tags(tags).register(registry);
  }

  private EndpointMeters of(String endpoint) {
    EndpointMeters m = meters.get(endpoint);
    return m != null ? m : meters.computeIfAbsent(endpoint, EndpointMeters::new);
  }

  /**
   * @param ledger the ledger whose counts the counters read; its endpoints known now (loaded from a store) get
   *               their meters at once, counting from 0
   */
  public ParityMetrics(MeterRegistry registry, Ledger ledger, int maxFields) {
    this.registry = registry;
    this.ledger = ledger;
    this.maxFields = maxFields;
    ledger.endpoints().forEach(this::of);
    starting = false;
  }

  /** The store's health: flushes that failed, and whether the last one succeeded. */
  public void bindStore(dev.shadowparity.store.Store store) {
    FunctionCounter.builder("parity.store.flush.failures", store, st -> st.failedFlushes())
        .description("Flushes of the evidence store that failed (the evidence stays in memory and is written later)")
        .register(registry);
    Gauge.builder("parity.store.flush.ok", store, st -> st.flushProblem() == null ? 1 : 0)
        .description("1 when the last flush of the evidence store succeeded, 0 while it fails").register(registry);
    io.micrometer.core.instrument.FunctionTimer.builder("parity.store.flush", store, st -> st.flushStats().flushes(),
            st -> st.flushStats().totalNanos(), TimeUnit.NANOSECONDS)
        .description("Transactions of the evidence store that wrote something, and the time they took").register(registry);
    FunctionCounter.builder("parity.store.rows.written", store, st -> st.flushStats().rows())
        .description("Rows (changed counts, samples, trend points) the evidence store wrote").register(registry);
    Gauge.builder("parity.store.pending.rows", store, st -> st.pendingRows())
        .description("Rows (changed counts, samples, trend points) the evidence store could not write yet: kept in memory"
            + " and written when it answers again; 0 when the last flush succeeded").register(registry);
  }

  /**
   * Client requests the proxy refused at its edge, by reason (never forwarded, so not exchanges: they are in no
   * endpoint's counts), each reason registered at zero. A function counter holds the object it reads weakly, so
   * {@code refused} must be the object the tap itself keeps: a method reference made for it would be collected, and
   * the counters would stop at the last value read (0 if never scraped).
   */
  public void bindRefused(dev.shadowparity.tap.impl.RefusedRequests refused) {
    for (String reason : dev.shadowparity.tap.impl.RefusedRequests.REASONS) {
      FunctionCounter.builder("parity.refused.requests", refused, r -> r.count(reason))
          .description("Client requests refused at the proxy's edge (bad Host, request target or method), never forwarded")
          .tag("reason", reason).register(registry);
    }
  }

  /** Counts recording failures of the engine (listener calls that threw). */
  public void bindRecordingFailures(dev.shadowparity.ParityEngine engine) {
    FunctionCounter.builder("parity.recording.failures", engine, e -> e.recordingFailures())
        .description("Outcomes the ledger holds but a listener (metrics, capture) failed to take").register(registry);
  }

  @Override
  public void recorded(Outcome outcome, Exchange exchange) {
    String endpoint = outcome.endpoint();
    EndpointMeters m = of(endpoint);
    if (exchange == null) {
      return;
    }
    latency(m, "old", exchange.oldResult().latencyNanos());
    latency(m, "new", exchange.newResult().latencyNanos());
    if (outcome.kind() == Outcome.Kind.MISMATCH) {
      for (String field : outcome.comparison().fields()) {
        mismatchedField(endpoint, field);
      }
    }
  }

  @Override
  public void oldFailed(String endpoint, BackendFailure.Kind kind) {
    of(endpoint); // the ledger counts it; the counter reads the ledger
  }

  /** A new evidence period: the ledger starts at 0, and so do the counters (a counter reset to Prometheus). */
  @Override
  public void reset() {
    baseline.clear();
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Gauges read from the tap's own counts, the way Micrometer binders read an object's state. */
  public void bindGauges(Supplier<Number> shadowInFlight, Supplier<Number> queued, Supplier<Number> active,
      Supplier<Number> bufferedBytes) {
    Gauge.builder("parity.buffered", bufferedBytes).baseUnit("bytes")
        .description("Bytes of request and response copies held by the tap (limits.max-buffered-bytes)").register(registry);
    Gauge.builder("parity.shadow.in.flight", shadowInFlight).description("Requests sent to NEW and not yet answered")
        .register(registry);
    Gauge.builder("parity.compare.queue", queued).description("Exchanges waiting for the comparison pool").register(registry);
    Gauge.builder("parity.compare.active", active).description("Comparisons running now").register(registry);
  }

  /**
   * The listen port's TLS: certificates taken by reloads ({@code parity_listen_tls_reloads_total}) and when the one in
   * use expires, in seconds since the epoch ({@code parity_listen_tls_not_after_seconds}: alert well before it).
   */
  public void bindListenTls(dev.shadowparity.tap.impl.ListenTlsReloader listenTls) {
    // the meters hold the reloader weakly: the tap holds it for as long as it runs
    FunctionCounter.builder("parity.listen.tls.reloads", listenTls, r -> r.reloads())
        .description("listen-port certificates taken from changed files since the start").register(registry);
    io.micrometer.core.instrument.Gauge.builder("parity.listen.tls.not.after.seconds", listenTls, r -> r.notAfterSeconds())
        .description("when the listen port's certificate expires, Unix time in seconds").register(registry);
  }

  /**
   * The client connections: open, the cap, refused over the cap, closed by a client timeout (by kind); and the
   * client requests by protocol.
   */
  public void bindClients(dev.shadowparity.tap.impl.ClientConnections clients) {
    Gauge.builder("parity.client.connections", clients, c -> c.open())
        .description("Client connections open on the proxy port").register(registry);
    Gauge.builder("parity.client.connections.max", clients, c -> c.max())
        .description("The cap on client connections (limits.max-client-connections)").register(registry);
    FunctionCounter.builder("parity.client.connections.refused", clients, c -> c.refused())
        .description("Client connections closed as soon as accepted because the cap was reached").register(registry);
    for (String protocol : dev.shadowparity.tap.impl.ClientConnections.PROTOCOLS) {
      FunctionCounter.builder("parity.client.requests", clients, c -> c.requests(protocol)).tag("protocol", protocol)
          .description("Client requests on the proxy port by the HTTP version the client spoke (h2: HTTP/2, h2c or TLS)")
          .register(registry);
    }
    for (dev.shadowparity.tap.impl.ClientConnections.Timeout kind : dev.shadowparity.tap.impl.ClientConnections.Timeout.values()) {
      FunctionCounter.builder("parity.client.timeouts", clients, c -> c.timedOut(kind)).tag("kind", kind.wireName())
          .description("Client connections the tap closed for a timeout: header (head not complete in time), "
              + "keep-alive (idle between requests), body (silent mid-body), send (took none of its answer)")
          .register(registry);
    }
  }

  public void mismatchedField(String endpoint, String field) {
    Set<String> known = fieldsPerEndpoint.computeIfAbsent(endpoint, e -> ConcurrentHashMap.newKeySet());
    String tag = field;
    if (!known.contains(field)) {
      synchronized (known) {
        if (known.size() < maxFields) {
          known.add(field);
        } else if (!known.contains(field)) {
          tag = OTHER_FIELD;
        }
      }
    }
    Counter.builder("parity.mismatch.fields")
        .description("Mismatching exchanges by the field that differed (top fields per endpoint; the rest as other)")
        .tag("endpoint", endpoint).tag("field", tag)
        .register(registry).increment();
  }

  private void latency(EndpointMeters m, String backend, long nanos) {
    if (nanos <= 0) {
      return;
    }
    Timer t = m.latency.get(backend);
    if (t == null) {
      t = m.latency.computeIfAbsent(backend, b -> Timer.builder("parity.backend.latency")
          .description("Time from sending the request to the last byte of the response, by backend")
          .tags(m.endpointTags(b))
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry));
    }
    t.record(nanos, TimeUnit.NANOSECONDS);
  }


  public void captureDropped() {
    Counter.builder("parity.capture.dropped").description("Capture lines dropped because the writer fell behind")
        .register(registry).increment();
  }
}
