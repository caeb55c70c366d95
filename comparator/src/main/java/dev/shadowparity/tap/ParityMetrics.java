package dev.shadowparity.tap;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.ledger.SkipReason;
import io.micrometer.core.instrument.Counter;
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
 * The tap's meters. Every tag value comes from a bounded set: templated endpoints (capped by the
 * templater), enums, and per endpoint at most {@code maxFields} field keys (the rest tagged
 * {@code other}). Counters are monotonic so that a fleet of taps sums with {@code sum by (endpoint)};
 * latency is a histogram with fixed buckets so that p99 can be computed across taps.
 *
 * <ul>
 *   <li>{@code parity.exchanges} (endpoint, outcome=match|mismatch|error|skipped)</li>
 *   <li>{@code parity.skipped} (endpoint, reason)</li>
 *   <li>{@code parity.mismatch.fields} (endpoint, field)</li>
 *   <li>{@code parity.backend.errors} (endpoint, backend=old|new, kind), registered at zero with the endpoint</li>
 *   <li>{@code parity.backend.latency} timer (endpoint, backend)</li>
 *   <li>gauges {@code parity.shadow.in.flight}, {@code parity.compare.queue}, {@code parity.compare.active},
 *       {@code parity.buffered} (bytes)</li>
 *   <li>{@code parity.capture.dropped}</li>
 * </ul>
 */
public final class ParityMetrics {

  /** Latency buckets (histogram boundaries) shared by every tap, so fleets aggregate. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
  static final String OTHER_FIELD = "other";
  /** Values of the {@code backend} tag. */
  private static final String[] BACKENDS = {"old", "new"};

  private final MeterRegistry registry;
  private final int maxFields;
  private final Map<String, Set<String>> fieldsPerEndpoint = new ConcurrentHashMap<>();
  /** Meters by endpoint, so the hot path does one map lookup instead of building meter ids. */
  private final Map<String, EndpointMeters> meters = new ConcurrentHashMap<>();

  /** The counters of one endpoint, made on first use. */
  private final class EndpointMeters {
    final Counter[] outcomes = new Counter[ParityEngine.Kind.values().length];
    final Counter[] skips = new Counter[SkipReason.values().length];
    /** By backend (0 = old, 1 = new), then failure kind. */
    final Counter[][] errors = new Counter[BACKENDS.length][BackendFailure.Kind.values().length];
    final Map<String, Timer> latency = new ConcurrentHashMap<>(4);

    EndpointMeters(String endpoint) {
      for (ParityEngine.Kind k : ParityEngine.Kind.values()) {
        outcomes[k.ordinal()] = Counter.builder("parity.exchanges")
            .description("Exchanges seen by the tap, by endpoint and outcome")
            .tag("endpoint", endpoint).tag("outcome", k.name().toLowerCase(Locale.ROOT))
            .register(registry);
      }
      for (SkipReason r : SkipReason.values()) {
        skips[r.ordinal()] = Counter.builder("parity.skipped")
            .description("Exchanges not compared, by reason")
            .tag("endpoint", endpoint).tag("reason", r.wireName())
            .register(registry);
      }
      // registered at zero, like the outcomes and skips: an error-rate query then gives 0 for an endpoint
      // whose backends never failed, instead of no data
      for (int b = 0; b < BACKENDS.length; b++) {
        for (BackendFailure.Kind k : BackendFailure.Kind.values()) {
          errors[b][k.ordinal()] = Counter.builder("parity.backend.errors")
              .description("Backend failures (timeout, connect, reset, protocol, too-large, not-sent), by backend")
              .tag("endpoint", endpoint).tag("backend", BACKENDS[b]).tag("kind", k.wireName())
              .register(registry);
        }
      }
    }
  }

  private EndpointMeters of(String endpoint) {
    EndpointMeters m = meters.get(endpoint);
    return m != null ? m : meters.computeIfAbsent(endpoint, EndpointMeters::new);
  }

  public ParityMetrics(MeterRegistry registry, int maxFields) {
    this.registry = registry;
    this.maxFields = maxFields;
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

  public void outcome(String endpoint, ParityEngine.Kind kind) {
    of(endpoint).outcomes[kind.ordinal()].increment();
  }

  public void skipped(String endpoint, SkipReason reason) {
    EndpointMeters m = of(endpoint);
    m.outcomes[ParityEngine.Kind.SKIPPED.ordinal()].increment();
    m.skips[reason.ordinal()].increment();
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

  /** Counts a failure of {@code backend} ({@code old} or {@code new}). */
  public void backendError(String endpoint, String backend, BackendFailure.Kind kind) {
    int b = switch (backend) {
      case "old" -> 0;
      case "new" -> 1;
      default -> throw new IllegalArgumentException("backend must be old or new, got " + backend);
    };
    of(endpoint).errors[b][kind.ordinal()].increment();
  }

  public void latency(String endpoint, String backend, long nanos) {
    if (nanos <= 0) {
      return;
    }
    of(endpoint).latency.computeIfAbsent(backend, b -> Timer.builder("parity.backend.latency")
        .description("Time from sending the request to the last byte of the response, by backend")
        .tag("endpoint", endpoint).tag("backend", b)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void captureDropped() {
    Counter.builder("parity.capture.dropped").description("Capture lines dropped because the writer fell behind")
        .register(registry).increment();
  }
}
