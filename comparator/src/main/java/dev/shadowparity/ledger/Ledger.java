package dev.shadowparity.ledger;

import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.config.NoiseConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.report.ConfidenceSequence;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.NoiseField;
import dev.shadowparity.redact.Redaction;
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
  /** Sample key of exchanges that could not be judged. */
  public static final String NOT_COMPARABLE_FIELD = "not-comparable";

  private static final Cause[] CAUSES_BY_NAME = java.util.Arrays.stream(Cause.values())
      .sorted(Comparator.comparing(Cause::wireName)).toArray(Cause[]::new);

  private final VerdictConfig verdict;
  private final LimitsConfig limits;
  private final ConfidenceSequence rule;
  private final Redaction redaction;
  private final Clock clock;
  private final ConcurrentHashMap<String, EndpointStats> endpoints = new ConcurrentHashMap<>();
  private final ProblemLog problems = new ProblemLog(org.slf4j.LoggerFactory.getLogger(Ledger.class));
  private final NoiseConfig noise;
  /**
   * Fields too coarse to learn as noise: a volatile line in a text body (a CSRF token) or a flaky status would
   * otherwise hide every real difference there. They can still be pinned.
   */
  private static final Set<String> NEVER_LEARNED = Set.of("status", "body");
  /** Distinct sets of differing fields remembered per endpoint for counting mismatches again once noise is known. */
  static final int MAX_SIGNATURES = 256;
  private static Set<FieldKind> signature(Map<String, ? extends Map<String, ?>> seen) {
    Set<FieldKind> sig = new java.util.HashSet<>();
    seen.forEach((field, kinds) -> kinds.keySet().forEach(kind -> sig.add(new FieldKind(field, kind))));
    return Set.copyOf(sig);
  }

  public Ledger(VerdictConfig verdict, LimitsConfig limits) {
    this(verdict, limits, Redaction.DEFAULT, Clock.systemUTC());
  }

  public Ledger(VerdictConfig verdict, LimitsConfig limits, Redaction redaction, Clock clock) {
    this(verdict, limits, NoiseConfig.DEFAULTS, redaction, clock);
  }

  /**
   * @param noise     thresholds of learned noise, and fields pinned as noise or never-noise
   * @param redaction how secrets are masked in samples
   */
  public Ledger(VerdictConfig verdict, LimitsConfig limits, NoiseConfig noise, Redaction redaction, Clock clock) {
    this.noise = noise;
    this.verdict = verdict;
    this.limits = limits;
    this.rule = new ConfidenceSequence(verdict);
    this.redaction = redaction;
    this.clock = clock;
  }

  private EndpointStats stats(String endpoint) {
    return endpoints.computeIfAbsent(endpoint, e -> new EndpointStats());
  }

  /**
   * Records a compared exchange: a match, or a mismatch with its field counts and perhaps a sample. Differences
   * at fields that are noise for the endpoint ({@link #noiseReason}) are counted apart and do not make a
   * mismatch.
   *
   * @return the outcome, with the comparison as counted: without the noise differences
   */
  public Outcome recordComparison(String endpoint, Exchange exchange, Comparison comparison) {
    return recordComparison(endpoint, exchange, comparison, Set.of());
  }

  /**
   * As {@link #recordComparison(String, Exchange, Comparison)}, with fields known to be noise in this very
   * exchange: they differed between OLD and a secondary OLD answer to the same request.
   */
  public Outcome recordComparison(String endpoint, Exchange exchange, Comparison comparison, Set<String> noiseHere) {
    EndpointStats s = stats(endpoint);
    recordLatencies(s, exchange);
    Comparison counted = comparison;
    if (!comparison.match()) {
      List<Difference> real = new ArrayList<>(comparison.differences().size());
      Set<String> discounted = null;
      for (Difference d : comparison.differences()) {
        boolean here = noiseHere.contains(d.field()) && !noise.never().contains(d.field())
            && !NEVER_LEARNED.contains(d.field());
        if (!here && noiseReason(s, d.field()) == null) {
          real.add(d);
        } else {
          if (discounted == null) {
            discounted = new java.util.HashSet<>(4);
          }
          if (discounted.add(d.field())) {
            EndpointStats.adder(s.noiseFields, d.field()).increment();
          }
        }
      }
      if (discounted != null) {
        counted = new Comparison(real, comparison.truncated(), comparison.oldBody(), comparison.newBody());
      }
    }
    if (counted.match()) {
      (comparison.match() ? s.matched : s.noiseOnly).increment();
      s.compared.increment();
      return new Outcome(endpoint, comparison.match() ? Outcome.Kind.MATCH : Outcome.Kind.NOISE, counted, null);
    }
    // Count each (field, kind) once per exchange: one bug in a list of 500 items is one field. Its cause in this
    // exchange is the one all its differences there share; none when they have none or several.
    Map<String, Map<String, Optional<Cause>>> seen = new LinkedHashMap<>();
    Set<Cause> causes = EnumSet.noneOf(Cause.class);
    for (Difference d : counted.differences()) {
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
    Set<FieldKind> signature = signature(seen);
    if (s.mismatchSignatures.size() < MAX_SIGNATURES || s.mismatchSignatures.containsKey(signature)) {
      EndpointStats.signature(s.mismatchSignatures, signature).count.increment();
    }
    Comparison sampled = counted;
    keepSample(s, List.copyOf(seen.keySet()), () -> sample(exchange, sampled, List.copyOf(seen.keySet()), null));
    // the totals last: a report read meanwhile never shows a mismatch whose fields are not counted yet
    s.mismatched.increment();
    s.compared.increment();
    return new Outcome(endpoint, Outcome.Kind.MISMATCH, counted, null);
  }

  /** Records an OLD-vs-OLD comparison of a repeated identical request: the fields that differed are volatile. */
  public void recordOldRepeat(String endpoint, Set<String> differingFields) {
    EndpointStats s = stats(endpoint);
    s.oldProbes.increment();
    for (String f : differingFields) {
      EndpointStats.adder(s.oldProbeFields, f).increment();
    }
    settle(s);
  }

  /** OLD-vs-OLD comparisons recorded so far for the endpoint (learning stops at the configured number). */
  public long oldRepeats(String endpoint) {
    EndpointStats s = endpoints.get(endpoint);
    return s == null ? 0 : s.oldProbes.sum();
  }

  /** Records an exchange with a secondary OLD answer: fields that differed OLD vs OLD, and OLD vs NEW. */
  public void recordSecondary(String endpoint, Set<String> oldOldFields, Set<String> oldNewFields) {
    EndpointStats s = stats(endpoint);
    s.secondaryTrials.increment();
    for (String f : oldOldFields) {
      EndpointStats.adder(s.secondaryOldFields, f).increment();
    }
    for (String f : oldNewFields) {
      EndpointStats.adder(s.secondaryNewFields, f).increment();
    }
    settle(s);
  }

  /**
   * Marks recorded mismatches whose every differing field is noise now as reclassified, once: noise is learned from
   * evidence that may come after the mismatches it explains. The mark is never undone (should a field stop being
   * noise, later mismatches there count again), so that the count only grows, as the tap's
   * {@code parity_reclassified_total} does. Called after each piece of noise evidence, before each report and
   * before each read of {@link #reclassified}.
   */
  private void settle(EndpointStats s) {
    for (Map.Entry<Set<FieldKind>, EndpointStats.Signature> e : s.mismatchSignatures.entrySet()) {
      EndpointStats.Signature sig = e.getValue();
      long settled = sig.settled.get();
      long count = sig.count.sum();
      if (count > settled && allNoise(s, e.getKey())) {
        sig.settled.compareAndSet(settled, count); // a thread that loses leaves it to the winner, or the next settle
      }
    }
  }

  /** The reclassified mismatches of an endpoint: the sum of what was marked per set of fields, never above the mismatches. */
  private static long reclassified(EndpointStats s) {
    long n = 0;
    for (EndpointStats.Signature sig : s.mismatchSignatures.values()) {
      n += sig.settled.get();
    }
    return Math.min(n, s.mismatched.sum());
  }

  private boolean allNoise(EndpointStats s, Set<FieldKind> signature) {
    for (FieldKind fk : signature) {
      if (noiseReason(s, fk.field()) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why a field of an endpoint is noise, or {@code null} when it is not. In order: listed under
   * {@code noise.never}: not noise; under {@code noise.always}: {@code pinned}; {@code status} and a text
   * {@code body} are never learned; it differed in at least
   * {@code min-evidence} OLD-vs-OLD comparisons of repeated requests, and in at least {@code min-rate} of them:
   * {@code learned}; it differed between OLD and a secondary OLD answer in at least {@code min-evidence}
   * exchanges, and its OLD-vs-NEW difference rate over the same exchanges is at most the OLD-vs-OLD rate plus
   * {@code margin}: {@code secondary}.
   */
  public String noiseReason(String endpoint, String field) {
    EndpointStats s = endpoints.get(endpoint);
    if (s == null) {
      return noise.never().contains(field) ? null : noise.always().contains(field) ? "pinned" : null;
    }
    return noiseReason(s, field);
  }

  private String noiseReason(EndpointStats s, String field) {
    if (noise.never().contains(field)) {
      return null;
    }
    if (noise.always().contains(field)) {
      return "pinned";
    }
    if (NEVER_LEARNED.contains(field)) {
      return null;
    }
    LongAdder learned = s.oldProbeFields.get(field);
    if (learned != null) {
      long n = learned.sum();
      if (n >= noise.minEvidence() && n >= noise.minRate() * s.oldProbes.sum()) {
        return "learned";
      }
    }
    LongAdder oldOld = s.secondaryOldFields.get(field);
    if (oldOld != null && oldOld.sum() >= noise.minEvidence()) {
      long trials = s.secondaryTrials.sum();
      LongAdder oldNew = s.secondaryNewFields.get(field);
      double oldRate = (double) oldOld.sum() / trials;
      double newRate = oldNew == null ? 0 : (double) oldNew.sum() / trials;
      if (newRate <= oldRate + noise.margin()) {
        return "secondary";
      }
    }
    return null;
  }

  private List<NoiseField> noiseFields(EndpointStats s, Map<String, Long> discounted) {
    Set<String> fields = new java.util.TreeSet<>();
    fields.addAll(s.oldProbeFields.keySet());
    fields.addAll(s.secondaryOldFields.keySet());
    fields.addAll(discounted.keySet());
    List<NoiseField> list = new ArrayList<>(fields.size());
    for (String f : fields) {
      list.add(new NoiseField(f, noiseReason(s, f), discounted.getOrDefault(f, 0L), sum(s.oldProbeFields, f), s.oldProbes.sum(),
          sum(s.secondaryOldFields, f), sum(s.secondaryNewFields, f), s.secondaryTrials.sum()));
    }
    return list;
  }

  private static long sum(Map<String, LongAdder> map, String key) {
    LongAdder a = map.get(key);
    return a == null ? 0 : a.sum();
  }

  /** Records an exchange where OLD or NEW failed; an OLD failure takes precedence when both failed. */
  public Outcome recordError(String endpoint, Exchange exchange) {
    EndpointStats s = stats(endpoint);
    recordLatencies(s, exchange);
    String kind;
    if (exchange.oldResult() instanceof BackendFailure f) {
      kind = "old:" + f.kind().wireName();
    } else if (exchange.newResult() instanceof BackendFailure f) {
      kind = "new:" + f.kind().wireName();
    } else {
      throw new IllegalArgumentException("recordError needs an exchange where a backend failed: " + exchange.request());
    }
    // the kind and the sample first, the totals last: a report read in between never shows an error without its kind
    EndpointStats.adder(s.errorKinds, kind).increment();
    keepSample(s, List.of(ERROR_FIELD), () -> sample(exchange, null, List.of(ERROR_FIELD), kind + ": " + failureMessage(exchange)));
    if (kind.startsWith("new:")) {
      s.newErrors.increment();
    }
    s.errors.increment();
    return new Outcome(endpoint, Outcome.Kind.ERROR, null, kind);
  }

  /**
   * Records an exchange whose answers could not be judged: a failure in the verdict, with a sample saying why.
   *
   * @param detail what went wrong, for people (masked before it is kept)
   */
  public Outcome recordNotComparable(String endpoint, Exchange exchange, NotComparableReason reason, String detail) {
    EndpointStats s = stats(endpoint);
    recordLatencies(s, exchange);
    String field = NOT_COMPARABLE_FIELD;
    String error = reason.wireName() + ": " + redaction.body(detail);
    keepSample(s, List.of(field), () -> sample(exchange, null, List.of(field), error));
    s.notComparable.computeIfAbsent(reason, r -> new LongAdder()).increment();
    return new Outcome(endpoint, Outcome.Kind.NOT_COMPARABLE, null, reason.wireName());
  }

  /** Records an exchange that was not compared. */
  public void recordSkipped(String endpoint, SkipReason reason) {
    stats(endpoint).skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /**
   * Exchanges of an endpoint that ended in {@code kind}, as recorded (never revised: a mismatch later found to be
   * noise stays a mismatch here and is also counted by {@link #reclassified}); 0 for an unknown endpoint. What the
   * tap's {@code parity_exchanges_total} reads, so the metrics and the report are one book.
   */
  public long count(String endpoint, Outcome.Kind kind) {
    EndpointStats s = endpoints.get(endpoint);
    if (s == null) {
      return 0;
    }
    return switch (kind) {
      case MATCH -> s.matched.sum();
      case NOISE -> s.noiseOnly.sum();
      case MISMATCH -> s.mismatched.sum();
      case ERROR -> s.errors.sum();
      case NOT_COMPARABLE -> s.notComparable.values().stream().mapToLong(LongAdder::sum).sum();
      case SKIPPED -> s.skipped.values().stream().mapToLong(LongAdder::sum).sum();
    };
  }

  /** Exchanges of an endpoint skipped for a reason. */
  public long skipped(String endpoint, SkipReason reason) {
    EndpointStats s = endpoints.get(endpoint);
    LongAdder n = s == null ? null : s.skipped.get(reason);
    return n == null ? 0 : n.sum();
  }

  /** Exchanges of an endpoint not comparable for a reason. */
  public long notComparable(String endpoint, NotComparableReason reason) {
    EndpointStats s = endpoints.get(endpoint);
    LongAdder n = s == null ? null : s.notComparable.get(reason);
    return n == null ? 0 : n.sum();
  }

  /** Recorded mismatches of an endpoint whose fields all became noise afterwards (settled first, as a report would). */
  public long reclassified(String endpoint) {
    EndpointStats s = endpoints.get(endpoint);
    if (s == null) {
      return 0;
    }
    settle(s);
    return reclassified(s);
  }

  /** Records that OLD failed on a request of the endpoint that was not mirrored (it is already counted as skipped). */
  public void recordUnmirroredOldFailure(String endpoint, BackendFailure.Kind kind) {
    EndpointStats.adder(stats(endpoint).unmirroredOldErrors, kind.wireName()).increment();
  }

  /**
   * Failures of one backend for an endpoint, by kind: of mirrored exchanges (an OLD failure wins when both failed)
   * and, for OLD, of requests that were not mirrored. What the tap's {@code parity_backend_errors_total} reads.
   */
  public long backendErrors(String endpoint, String backend, BackendFailure.Kind kind) {
    EndpointStats s = endpoints.get(endpoint);
    if (s == null) {
      return 0;
    }
    long n = sum(s.errorKinds, backend + ":" + kind.wireName());
    return backend.equals("old") ? n + sum(s.unmirroredOldErrors, kind.wireName()) : n;
  }

  private static String failureMessage(Exchange exchange) {
    BackendResult r = exchange.oldResult() instanceof BackendFailure ? exchange.oldResult() : exchange.newResult();
    return ((BackendFailure) r).message();
  }

  private static void recordLatencies(EndpointStats s, Exchange exchange) {
    s.oldLatency.record(exchange.oldResult().latencyNanos());
    s.newLatency.record(exchange.newResult().latencyNanos());
  }

  /** Keeps a sample made by {@code make} for the fields that still have room, within both caps; false when none had. */
  private boolean keepSample(EndpointStats s, List<String> fields, java.util.function.Supplier<Sample> make) {
    if (limits.samplesPerField() == 0 || limits.samplesPerEndpoint() == 0) {
      return false;
    }
    List<EndpointStats.SampleSlot> wanting = new ArrayList<>(fields.size());
    for (String field : fields) {
      EndpointStats.SampleSlot slot = s.samples.computeIfAbsent(field, f -> new EndpointStats.SampleSlot());
      if (slot.reserve(limits.samplesPerField())) {
        wanting.add(slot);
      }
    }
    if (wanting.isEmpty()) {
      return false;
    }
    if (s.sampleCount.incrementAndGet() > limits.samplesPerEndpoint()) {
      s.sampleCount.decrementAndGet();
      wanting.forEach(EndpointStats.SampleSlot::release);
      return false;
    }
    Sample sample;
    try {
      sample = make.get();
    } catch (RuntimeException e) {
      // a sample is an illustration: failing to make one must not cost the exchange its count
      s.sampleCount.decrementAndGet();
      wanting.forEach(EndpointStats.SampleSlot::release);
      problems.failed("(samples)", "making a sample", e, "the exchange is counted without a sample");
      return false;
    }
    for (EndpointStats.SampleSlot slot : wanting) {
      slot.samples.add(sample);
    }
    return true;
  }

  private Sample sample(Exchange exchange, Comparison comparison, List<String> fields, String error) {
    RecordedRequest req = exchange.request();
    String reqBody = req.body().length == 0 ? null : truncate(redaction.body(requestText(req)));
    Sample.Request request = new Sample.Request(req.method(), redaction.uri(req.uri()), redaction.headers(req.headers()), reqBody);
    return new Sample(clock.instant(), fields, request,
        response(exchange.oldResult(), comparison == null ? null : comparison.oldBody()),
        response(exchange.newResult(), comparison == null ? null : comparison.newBody()),
        comparison == null ? null : redaction.differences(comparison.differences()), error);
  }

  /** A request body as text for a sample: content-encoded ones decoded first, so that masking sees their text. */
  private String requestText(RecordedRequest req) {
    if (!req.headers().contains("content-encoding")) {
      return new String(req.body(), StandardCharsets.UTF_8);
    }
    DecodedBody d = new dev.shadowparity.engine.impl.BodyDecoder(limits.maxDecodedBytes()).decode(req.headers(), req.body());
    if (d.isDecoded() && d.text() != null) {
      return d.text();
    }
    return req.body().length + " bytes, " + req.headers().get("content-encoding") + "-encoded"
        + (d.isDecoded() ? " binary data" : ", not decodable (" + d.problem() + ")");
  }

  private Sample.Response response(BackendResult result, DecodedBody body) {
    if (result instanceof OversizedResponse o) {
      return new Sample.Response(o.status(), redaction.headers(o.headers()), null,
          (o.digest() == null ? "more than " : "") + o.bodyBytes() + " bytes, over the copy cap: not kept"
              + (o.digest() == null ? "" : " (digest " + o.digest() + ")"), null, null, millis(o.latencyNanos()));
    }
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
      problem = body.problem() == null ? null : redaction.body(body.problem());
      text = body.text();
      if (text == null) {
        text = body.isDecoded() ? body.bytes().length + " bytes of binary data" : new String(body.bytes(), StandardCharsets.UTF_8);
      }
    }
    text = redaction.body(text);
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
    for (Map.Entry<String, EndpointStats> e : new TreeMap<>(endpoints).entrySet()) {
      list.add(endpointReport(e.getKey(), e.getValue()));
    }
    return Report.of(clock.instant(), new Report.VerdictRule(verdict.maxMismatchRate(), verdict.confidence(),
        verdict.minCompared()), list);
  }

  private EndpointReport endpointReport(String endpoint, EndpointStats s) {
    settle(s);
    long compared = s.compared.sum();
    long mismatched = s.mismatched.sum();
    long matched = s.matched.sum();
    long noiseOnly = s.noiseOnly.sum();
    long reclassified = reclassified(s);
    // fields that became noise after mismatches were recorded no longer count against them in the field list
    Map<String, Map<String, Long>> fieldCounts = new TreeMap<>();
    s.fields.forEach((field, kinds) -> kinds.forEach((kind, f) ->
        fieldCounts.computeIfAbsent(field, x -> new TreeMap<>()).put(kind, f.count.sum())));
    Map<String, Long> discounted = new TreeMap<>();
    s.noiseFields.forEach((f, n) -> discounted.put(f, n.sum()));
    for (Map.Entry<Set<FieldKind>, EndpointStats.Signature> sig : s.mismatchSignatures.entrySet()) {
      long n = sig.getValue().count.sum();
      Set<String> noisyFields = new java.util.HashSet<>();
      for (FieldKind fk : sig.getKey()) {
        if (noiseReason(s, fk.field()) != null) {
          noisyFields.add(fk.field());
        }
      }
      if (n == 0 || noisyFields.isEmpty()) {
        continue;
      }
      for (FieldKind fk : sig.getKey()) {
        if (noisyFields.contains(fk.field())) {
          Map<String, Long> kinds = fieldCounts.get(fk.field());
          if (kinds != null) {
            kinds.computeIfPresent(fk.kind(), (k, c) -> c - n > 0 ? c - n : null);
            if (kinds.isEmpty()) {
              fieldCounts.remove(fk.field());
            }
          }
        }
      }
      noisyFields.forEach(f -> discounted.merge(f, n, Long::sum));
    }
    Map<String, Long> notComparable = new TreeMap<>();
    s.notComparable.forEach((reason, n) -> notComparable.put(reason.wireName(), n.sum()));
    long unjudged = notComparable.values().stream().mapToLong(Long::longValue).sum();
    long newErrors = s.newErrors.sum();
    long trials = compared + newErrors + unjudged;
    long failures = Math.min(trials, mismatched - reclassified + newErrors + unjudged);
    Map<String, Long> skipped = new TreeMap<>();
    s.skipped.forEach((reason, n) -> skipped.put(reason.wireName(), n.sum()));
    // the total before its kinds and samples, the reverse of recordError's order: an error counted here has its kind
    long errors = s.errors.sum();
    Map<String, Long> errorKinds = new TreeMap<>();
    s.errorKinds.forEach((k, n) -> errorKinds.put(k, n.sum()));
    EndpointReport.Judged judged = EndpointReport.judge(rule, trials, failures, errors, unjudged, skipped);
    List<EndpointReport.FieldCount> fields = new ArrayList<>();
    fieldCounts.forEach((field, kinds) -> kinds.forEach((kind, count) -> {
      EndpointStats.FieldStats f = s.fields.getOrDefault(field, Map.of()).get(kind);
      fields.add(new EndpointReport.FieldCount(field, kind, count, f == null ? null : fieldCause(count, f.causes)));
    }));
    fields.sort(Comparator.comparingLong(EndpointReport.FieldCount::count).reversed()
        .thenComparing(EndpointReport.FieldCount::field).thenComparing(EndpointReport.FieldCount::kind));
    List<Sample> samples = samples(endpoint).stream()
        .filter(x -> x.error() != null || x.fields().stream().anyMatch(f -> noiseReason(s, f) == null)).toList();
    List<Map.Entry<Cause, Long>> causeCounts = new ArrayList<>();
    s.causes.forEach((c, n) -> causeCounts.add(Map.entry(c, n.sum())));
    causeCounts.sort(Map.Entry.<Cause, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().wireName()));
    Map<String, Long> causes = new LinkedHashMap<>();
    causeCounts.forEach(e -> causes.put(e.getKey().wireName(), e.getValue()));
    return new EndpointReport(endpoint, compared, matched, noiseOnly, mismatched, reclassified, errors, errorKinds,
        notComparable, skipped, judged, fields, causes,
        new EndpointReport.Latency(percentiles(s.oldLatency), percentiles(s.newLatency)), samples,
        noiseFields(s, discounted));
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

  /** Every count held, endpoint by endpoint, as flat rows ({@link LedgerCounts}); for persisting the ledger. */
  public void exportCounts(LedgerCounts.Sink sink) {
    endpoints.forEach((endpoint, s) -> LedgerCounts.export(endpoint, s, sink));
  }

  /**
   * Adds a persisted count, as exported by {@link #exportCounts}: counts add up, so a ledger loaded from a
   * store continues where it stopped.
   *
   * @throws IllegalArgumentException for a family or key this version does not know
   */
  public void loadCount(String endpoint, String family, List<String> key, long value) {
    LedgerCounts.load(stats(endpoint), family, key, value);
  }

  /** Every sample held, per endpoint, each once. */
  public void exportSamples(java.util.function.BiConsumer<String, Sample> sink) {
    for (String endpoint : endpoints()) {
      samples(endpoint).forEach(sample -> sink.accept(endpoint, sample));
    }
  }

  /** Adds a persisted sample within the sample caps; false when they leave no room for it. */
  public boolean loadSample(String endpoint, Sample sample) {
    return keepSample(stats(endpoint), sample.fields(), () -> sample);
  }

  /** Forgets everything recorded: a new evidence period. */
  public void reset() {
    endpoints.clear();
  }
}
