package dev.shadowparity.ledger;

import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Redaction;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.Sample;
import dev.shadowparity.report.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parity ledger: per endpoint counts, per field counts, bounded samples, latencies and the verdict.
 * Thread-safe and lock-free on the recording path; {@link #report()} takes a consistent-enough snapshot
 * (each counter is read once; counts recorded during the snapshot may or may not be in it).
 */
public final class Ledger {

  /** Field key under which counts beyond {@code max-fields-per-endpoint} are summed. */
  public static final String OTHER_FIELDS = "(other fields)";
  /** Sample key of exchanges that failed. */
  public static final String ERROR_FIELD = "error";

  private static final Cause[] CAUSES_BY_NAME = java.util.Arrays.stream(Cause.values())
      .sorted(Comparator.comparing(Cause::wireName)).toArray(Cause[]::new);

  private final VerdictConfig verdict;
  private final LimitsConfig limits;
  private final double z;
  private final Redaction redaction;
  private final Clock clock;
  private final ConcurrentHashMap<String, EndpointStats> endpoints = new ConcurrentHashMap<>();

  public Ledger(VerdictConfig verdict, LimitsConfig limits) {
    this(verdict, limits, Redaction.DEFAULT, Clock.systemUTC());
  }

  /**
   * @param redaction how secrets are masked in samples
   */
  public Ledger(VerdictConfig verdict, LimitsConfig limits, Redaction redaction, Clock clock) {
    this.verdict = verdict;
    this.limits = limits;
    this.z = Wilson.z(verdict.confidence());
    this.redaction = redaction;
    this.clock = clock;
  }

  private EndpointStats stats(String endpoint) {
    return endpoints.computeIfAbsent(endpoint, e -> new EndpointStats());
  }

  /** Records a compared exchange: a match, or a mismatch with its field counts and perhaps a sample. */
  public void recordComparison(String endpoint, Exchange exchange, Comparison comparison) {
    EndpointStats s = stats(endpoint);
    s.compared.increment();
    recordLatencies(s, exchange);
    if (comparison.match()) {
      s.matched.increment();
      return;
    }
    s.mismatched.increment();
    // Count each (field, kind) once per exchange: one bug in a list of 500 items is one field. Its cause in this
    // exchange is the one all its differences there share; none when they have none or several.
    Map<String, Map<String, Optional<Cause>>> seen = new LinkedHashMap<>();
    Set<Cause> causes = EnumSet.noneOf(Cause.class);
    for (Difference d : comparison.differences()) {
      Optional<Cause> cause = Optional.ofNullable(d.cause());
      cause.ifPresent(causes::add);
      Map<String, Optional<Cause>> kinds = seen.computeIfAbsent(d.field(), f -> new HashMap<>(2));
      Optional<Cause> before = kinds.putIfAbsent(d.kind().wireName(), cause);
      if (before != null && !before.equals(cause)) {
        kinds.put(d.kind().wireName(), Optional.empty());
      }
    }
    seen.forEach((key, kinds) -> {
      String field = s.fields.containsKey(key) || s.fields.size() < limits.maxFieldsPerEndpoint() ? key : OTHER_FIELDS;
      Map<String, EndpointStats.FieldStats> byKind = s.fields.computeIfAbsent(field, f -> new ConcurrentHashMap<>());
      kinds.forEach((kind, cause) -> {
        EndpointStats.FieldStats f = byKind.computeIfAbsent(kind, k -> new EndpointStats.FieldStats());
        f.count.increment();
        cause.ifPresent(c -> f.causes.computeIfAbsent(c, k -> new LongAdder()).increment());
      });
    });
    for (Cause c : causes) {
      s.causes.computeIfAbsent(c, k -> new LongAdder()).increment();
    }
    keepSample(s, List.copyOf(seen.keySet()), () -> sample(exchange, comparison, List.copyOf(seen.keySet()), null));
  }

  /** Records an exchange where OLD or NEW failed; an OLD failure takes precedence when both failed. */
  public void recordError(String endpoint, Exchange exchange) {
    EndpointStats s = stats(endpoint);
    recordLatencies(s, exchange);
    String kind;
    if (exchange.oldResult() instanceof BackendFailure f) {
      kind = "old:" + f.kind().wireName();
    } else if (exchange.newResult() instanceof BackendFailure f) {
      kind = "new:" + f.kind().wireName();
      s.newErrors.increment();
    } else {
      throw new IllegalArgumentException("recordError needs an exchange where a backend failed: " + exchange.request());
    }
    s.errors.increment();
    EndpointStats.adder(s.errorKinds, kind).increment();
    keepSample(s, List.of(ERROR_FIELD), () -> sample(exchange, null, List.of(ERROR_FIELD), kind + ": " + failureMessage(exchange)));
  }

  /** Records an exchange that was not compared. */
  public void recordSkipped(String endpoint, SkipReason reason) {
    stats(endpoint).skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  private static String failureMessage(Exchange exchange) {
    BackendResult r = exchange.oldResult() instanceof BackendFailure ? exchange.oldResult() : exchange.newResult();
    return ((BackendFailure) r).message();
  }

  private static void recordLatencies(EndpointStats s, Exchange exchange) {
    s.oldLatency.record(exchange.oldResult().latencyNanos());
    s.newLatency.record(exchange.newResult().latencyNanos());
  }

  private void keepSample(EndpointStats s, List<String> fields, java.util.function.Supplier<Sample> make) {
    if (limits.samplesPerField() == 0 || limits.samplesPerEndpoint() == 0) {
      return;
    }
    List<EndpointStats.SampleSlot> wanting = new ArrayList<>(fields.size());
    for (String field : fields) {
      EndpointStats.SampleSlot slot = s.samples.computeIfAbsent(field, f -> new EndpointStats.SampleSlot());
      if (slot.reserve(limits.samplesPerField())) {
        wanting.add(slot);
      }
    }
    if (wanting.isEmpty()) {
      return;
    }
    if (s.sampleCount.incrementAndGet() > limits.samplesPerEndpoint()) {
      s.sampleCount.decrementAndGet();
      wanting.forEach(EndpointStats.SampleSlot::release);
      return;
    }
    Sample sample = make.get();
    for (EndpointStats.SampleSlot slot : wanting) {
      slot.samples.add(sample);
    }
  }

  private Sample sample(Exchange exchange, Comparison comparison, List<String> fields, String error) {
    RecordedRequest req = exchange.request();
    String reqBody = req.body().length == 0 ? null : truncate(new String(req.body(), StandardCharsets.UTF_8));
    Sample.Request request = new Sample.Request(req.method(), req.uri(), redaction.headers(req.headers()), reqBody);
    return new Sample(clock.instant(), fields, request,
        response(exchange.oldResult(), comparison == null ? null : comparison.oldBody()),
        response(exchange.newResult(), comparison == null ? null : comparison.newBody()),
        comparison == null ? null : comparison.differences(), error);
  }

  private Sample.Response response(BackendResult result, DecodedBody body) {
    if (!(result instanceof RecordedResponse r)) {
      BackendFailure f = (BackendFailure) result;
      return new Sample.Response(null, null, null, null, null, f.kind().wireName() + ": " + f.message(), millis(f.latencyNanos()));
    }
    String text;
    String kind;
    String problem = null;
    if (body == null) {
      kind = null;
      text = r.body().length == 0 ? null : new String(r.body(), StandardCharsets.UTF_8);
    } else {
      kind = body.kind().wireName();
      problem = body.problem();
      text = body.text();
      if (text == null) {
        text = body.isDecoded() ? body.bytes().length + " bytes of binary data" : new String(body.bytes(), StandardCharsets.UTF_8);
      }
    }
    boolean cut = text != null && text.length() > limits.sampleBodyBytes();
    return new Sample.Response(r.status(), redaction.headers(r.headers()), kind, text == null ? null : truncate(text),
        cut ? Boolean.TRUE : null, problem, millis(r.latencyNanos()));
  }

  private String truncate(String text) {
    return text.length() <= limits.sampleBodyBytes() ? text : text.substring(0, limits.sampleBodyBytes());
  }

  private static Double millis(long nanos) {
    return nanos <= 0 ? null : nanos / 1e6;
  }

  /** Samples kept for an endpoint, newest last, each once; empty for an unknown endpoint. */
  public List<Sample> samples(String endpoint) {
    EndpointStats s = endpoints.get(endpoint);
    if (s == null) {
      return List.of();
    }
    Map<Sample, Boolean> unique = new IdentityHashMap<>();
    List<Sample> all = new ArrayList<>();
    for (EndpointStats.SampleSlot slot : s.samples.values()) {
      for (Sample sample : slot.samples) {
        if (unique.put(sample, Boolean.TRUE) == null) {
          all.add(sample);
        }
      }
    }
    all.sort(Comparator.comparing(Sample::at));
    return all;
  }

  /** The report of everything recorded so far. */
  public Report report() {
    List<EndpointReport> list = new ArrayList<>(endpoints.size());
    long compared = 0;
    long matched = 0;
    long mismatched = 0;
    long errors = 0;
    long skipped = 0;
    for (Map.Entry<String, EndpointStats> e : new TreeMap<>(endpoints).entrySet()) {
      EndpointReport r = endpointReport(e.getKey(), e.getValue());
      list.add(r);
      compared += r.compared();
      matched += r.matched();
      mismatched += r.mismatched();
      errors += r.errors();
      skipped += r.skipped().values().stream().mapToLong(Long::longValue).sum();
    }
    list.sort(Comparator.comparingInt((EndpointReport r) -> verdictRank(r.verdict()))
        .thenComparing(Comparator.comparingDouble(EndpointReport::mismatchRate).reversed())
        .thenComparing(EndpointReport::endpoint));
    return new Report(clock.instant(),
        new Report.VerdictRule(verdict.maxMismatchRate(), verdict.confidence(), verdict.minCompared()),
        new Report.Totals(compared, matched, mismatched, errors, skipped), list);
  }

  private static int verdictRank(Verdict v) {
    return switch (v) {
      case FAILING -> 0;
      case UNPROVEN -> 1;
      case PROVEN -> 2;
    };
  }

  private EndpointReport endpointReport(String endpoint, EndpointStats s) {
    long compared = s.compared.sum();
    long mismatched = s.mismatched.sum();
    long newErrors = s.newErrors.sum();
    long trials = compared + newErrors;
    long failures = Math.min(trials, mismatched + newErrors);
    double[] bounds = Wilson.intervalForZ(failures, trials, z);
    double rate = trials == 0 ? 0 : (double) failures / trials;
    Verdict v;
    if (trials > 0 && bounds[0] > verdict.maxMismatchRate()) {
      v = Verdict.FAILING;
    } else if (trials >= verdict.minCompared() && trials > 0 && bounds[1] < verdict.maxMismatchRate()) {
      v = Verdict.PROVEN;
    } else {
      v = Verdict.UNPROVEN;
    }
    List<EndpointReport.FieldCount> fields = new ArrayList<>();
    s.fields.forEach((field, kinds) -> kinds.forEach((kind, f) -> {
      long count = f.count.sum();
      fields.add(new EndpointReport.FieldCount(field, kind, count, fieldCause(count, f.causes)));
    }));
    fields.sort(Comparator.comparingLong(EndpointReport.FieldCount::count).reversed()
        .thenComparing(EndpointReport.FieldCount::field).thenComparing(EndpointReport.FieldCount::kind));
    Map<String, Long> skipped = new TreeMap<>();
    s.skipped.forEach((reason, n) -> skipped.put(reason.wireName(), n.sum()));
    Map<String, Long> errorKinds = new TreeMap<>();
    s.errorKinds.forEach((k, n) -> errorKinds.put(k, n.sum()));
    List<Map.Entry<Cause, Long>> causeCounts = new ArrayList<>();
    s.causes.forEach((c, n) -> causeCounts.add(Map.entry(c, n.sum())));
    causeCounts.sort(Map.Entry.<Cause, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().wireName()));
    Map<String, Long> causes = new LinkedHashMap<>();
    causeCounts.forEach(e -> causes.put(e.getKey().wireName(), e.getValue()));
    return new EndpointReport(endpoint, compared, s.matched.sum(), mismatched, s.errors.sum(), errorKinds, skipped,
        trials, failures, rate, bounds[0], bounds[1], v, fields, causes,
        new EndpointReport.Latency(percentiles(s.oldLatency), percentiles(s.newLatency)), samples(endpoint));
  }

  /**
   * The cause of a field and kind in the report: the one found in the most exchanges, when more exchanges had it
   * than had no cause there (a tie between causes goes to the first by name); else none.
   */
  static Cause fieldCause(long count, Map<Cause, LongAdder> causes) {
    Cause best = null;
    long bestCount = 0;
    long classified = 0;
    for (Cause c : CAUSES_BY_NAME) {
      LongAdder n = causes.get(c);
      long k = n == null ? 0 : n.sum();
      classified += k;
      if (k > bestCount) {
        best = c;
        bestCount = k;
      }
    }
    return best != null && bestCount > count - classified ? best : null;
  }

  private static EndpointReport.Percentiles percentiles(LatencyHistogram h) {
    return new EndpointReport.Percentiles(h.count(), round(h.percentileNanos(0.5) / 1e6),
        round(h.percentileNanos(0.99) / 1e6), round(h.maxNanos() / 1e6));
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  /** Endpoints seen so far, sorted. */
  public List<String> endpoints() {
    List<String> names = new ArrayList<>(endpoints.keySet());
    Collections.sort(names);
    return names;
  }

  /** Forgets everything recorded: a new evidence period. */
  public void reset() {
    endpoints.clear();
  }
}
