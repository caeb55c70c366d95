package dev.shadowparity.ledger;

import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.config.NoiseConfig;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.report.ConfidenceSequence;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.report.Report;
import dev.shadowparity.report.Sample;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
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
 * Thread-safe: a recording takes only its endpoint's lock, shared (the store's snapshot holds it exclusively, so
 * that it never sees half a recording); {@link #report()} takes a consistent-enough snapshot without it (each
 * counter is read once; counts recorded during the snapshot may or may not be in it).
 *
 * <p>Why one file of this length: it is the recording path, one method per kind of outcome, each with the order its
 * counters are written in; noise, samples, reports and persistence are apart.
 */
public final class Ledger {

  /** Field key under which counts beyond {@code max-fields-per-endpoint} are summed. */
  public static final String OTHER_FIELDS = "(other fields)";
  /** Sample key of exchanges that failed. */
  public static final String ERROR_FIELD = "error";
  /** Sample key of exchanges that could not be judged. */
  public static final String NOT_COMPARABLE_FIELD = "not-comparable";

  private final VerdictConfig verdict;
  private final LimitsConfig limits;
  private final Clock clock;
  private final NoisePolicy policy;
  private final SampleKeeper keeper;
  private final ReportBuilder reports;
  private final ConcurrentHashMap<String, EndpointStats> endpoints = new ConcurrentHashMap<>();
  private final ProblemLog problems = new ProblemLog(org.slf4j.LoggerFactory.getLogger(Ledger.class));
  private final NoiseConfig noise;
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
    this.policy = new NoisePolicy(noise);
    this.keeper = new SampleKeeper(limits, redaction, clock, problems);
    this.reports = new ReportBuilder(new ConfidenceSequence(verdict), policy, keeper);
    this.clock = clock;
  }

  /**
   * Runs one recording of an endpoint under its lock, shared (the store's snapshot holds it exclusively, so that it
   * never sees half a recording).
   */
  private <T> T recording(String endpoint, java.util.function.Function<EndpointStats, T> record) {
    while (true) {
      EndpointStats s = stats(endpoint);
      long stamp = s.recording.readLock();
      try {
        if (!s.retired) {
          return record.apply(s);
        }
      } finally {
        s.recording.unlockRead(stamp);
      }
      // a new period took these counts between the lookup and the lock: record in the endpoint's new ones
    }
  }

  private EndpointStats stats(String endpoint) {
    return endpoints.computeIfAbsent(endpoint, e -> new EndpointStats());
  }

  /**
   * What the engine knows of an exchange besides its comparison.
   *
   * @param noiseHere  fields known to be noise in this very exchange: they differed between OLD and a secondary OLD
   *                   answer to the same request
   * @param acceptance the differences a baseline accepts
   * @param write      a write that reached OLD only and likely explains a mismatching read, or {@code null}
   * @param notCompared the parts of OLD's answer its capture did not record, so not compared: counted per endpoint,
   *                   so that a match on status and headers alone is never taken for more
   */
  public record Circumstances(Set<String> noiseHere, Acceptance acceptance, dev.shadowparity.drift.UnmirroredWrites.Write write,
      Set<dev.shadowparity.engine.Unrecorded> notCompared) {
    public static final Circumstances NONE = new Circumstances(Set.of(), Acceptance.NONE, null, Set.of());

    public Circumstances {
      noiseHere = noiseHere == null ? Set.of() : noiseHere;
      acceptance = acceptance == null ? Acceptance.NONE : acceptance;
      notCompared = notCompared == null ? Set.of() : notCompared;
    }

    public Circumstances(Set<String> noiseHere, Acceptance acceptance, dev.shadowparity.drift.UnmirroredWrites.Write write) {
      this(noiseHere, acceptance, write, Set.of());
    }

  }

  /**
   * Records a compared exchange: a match, or a mismatch with its field counts and perhaps a sample. Differences
   * at fields that are noise for the endpoint ({@link #noiseReason(String, String)}) are counted apart and do not make a
   * mismatch.
   *
   * @return the outcome, with the comparison as counted: without the noise differences
   */
  public Outcome recordComparison(String endpoint, Exchange exchange, Comparison comparison) {
    return recordComparison(endpoint, exchange, comparison, Circumstances.NONE);
  }

  /** As {@link #recordComparison(String, Exchange, Comparison)}, with fields known to be noise in this very exchange. */
  public Outcome recordComparison(String endpoint, Exchange exchange, Comparison comparison, Set<String> noiseHere) {
    return recordComparison(endpoint, exchange, comparison, new Circumstances(noiseHere, null, null));
  }

  /**
   * Records a compared exchange under its circumstances: differences at noise fields are counted apart (noise
   * first), then those a baseline accepts are counted per entry; what is left is the mismatch. An exchange with
   * nothing left is a match, noise only, or accepted (when a baseline entry accepted one of its differences).
   */
  public Outcome recordComparison(String endpoint, Exchange exchange, Comparison comparison, Circumstances circumstances) {
    return recording(endpoint, s -> recordComparison(s, endpoint, exchange, comparison, circumstances));
  }

  private Outcome recordComparison(EndpointStats s, String endpoint, Exchange exchange, Comparison comparison,
      Circumstances c) {
    recordLatencies(s, exchange);
    for (dev.shadowparity.engine.Unrecorded part : c.notCompared()) {
      EndpointStats.adder(s.notCompared, part.reason()).increment();
    }
    Comparison counted = comparison;
    Set<String> acceptedBy = Set.of();
    if (!comparison.match()) {
      List<Difference> real = new ArrayList<>(comparison.differences().size());
      Set<String> discounted = null;
      for (Difference d : comparison.differences()) {
        if (!policy.noiseHere(d.field(), c.noiseHere()) && policy.reason(s, d.field()) == null) {
          String entry = c.acceptance().accept(endpoint, d);
          if (entry == null) {
            real.add(d);
          } else {
            if (acceptedBy.isEmpty()) {
              acceptedBy = new java.util.TreeSet<>();
            }
            acceptedBy.add(entry);
          }
        } else {
          if (discounted == null) {
            discounted = new java.util.HashSet<>(4);
          }
          if (discounted.add(d.field())) {
            EndpointStats.adder(s.noiseFields, d.field()).increment();
          }
        }
      }
      if (real.isEmpty() && comparison.truncated()) {
        // every difference examined was noise or accepted, but the comparison stopped at its cap: those past it were
        // never seen, and may be real. Never a match, noise only or accepted on evidence that was not examined.
        real.add(new Difference("body", "", dev.shadowparity.engine.DiffKind.VALUE, null, null,
            "more differences than the comparison keeps: all " + comparison.differences().size()
                + " examined were noise or accepted, the rest were not examined"));
      }
      if (real.size() < comparison.differences().size() || comparison.truncated()) {
        counted = comparison.withDifferences(real);
      }
      for (String entry : acceptedBy) {
        EndpointStats.adder(s.acceptedEntries, entry).increment();
      }
    }
    String shape = QueryShape.of(exchange.request().uri());
    if (counted.match()) {
      Outcome.Kind kind = comparison.match() ? Outcome.Kind.MATCH
          : acceptedBy.isEmpty() ? Outcome.Kind.NOISE : Outcome.Kind.ACCEPTED;
      (switch (kind) {
        case MATCH -> s.matched;
        case NOISE -> s.noiseOnly;
        default -> s.accepted;
      }).increment();
      shape(s, shape)[0].increment();
      s.compared.increment();
      return new Outcome(endpoint, kind, counted, null);
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
        cause.ifPresent(x -> f.causes.computeIfAbsent(x, k -> new LongAdder()).increment());
      });
    });
    for (Cause x : causes) {
      s.causes.computeIfAbsent(x, k -> new LongAdder()).increment();
    }
    Set<FieldKind> signature = signature(seen);
    if (s.mismatchSignatures.size() < MAX_SIGNATURES || s.mismatchSignatures.containsKey(signature)) {
      EndpointStats.signature(s.mismatchSignatures, signature).count.increment();
    }
    Comparison sampled = counted;
    keeper.keep(s, List.copyOf(seen.keySet()), () -> keeper.make(exchange, sampled, List.copyOf(seen.keySet()), null, c.write()));
    // the totals last: a report read meanwhile never shows a mismatch whose fields are not counted yet
    LongAdder[] byShape = shape(s, shape);
    byShape[1].increment();
    byShape[0].increment();
    s.mismatched.increment();
    s.compared.increment();
    return new Outcome(endpoint, Outcome.Kind.MISMATCH, counted, null);
  }

  /** The compared and mismatched counters of a query shape, bounded per endpoint. */
  private static LongAdder[] shape(EndpointStats s, String shape) {
    LongAdder[] counters = s.queryShapes.get(shape);
    if (counters != null) {
      return counters;
    }
    synchronized (s.queryShapes) { // a new shape only: the cap is exact whatever the threads
      String key = s.queryShapes.size() < QueryShape.MAX_PER_ENDPOINT ? shape : QueryShape.OTHER;
      return s.queryShapes.computeIfAbsent(key, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    }
  }

  /** Records an OLD-vs-OLD comparison of a repeated identical request: the fields that differed are volatile. */
  public void recordOldRepeat(String endpoint, Set<String> differingFields) {
    recording(endpoint, s -> {
      recordOldRepeat(s, endpoint, differingFields);
      return null;
    });
  }

  private void recordOldRepeat(EndpointStats s, String endpoint, Set<String> differingFields) {
    s.oldProbes.increment();
    for (String f : differingFields) {
      EndpointStats.adder(s.oldProbeFields, f).increment();
    }
    policy.settle(s);
  }

  /**
   * Records a repeated identical request whose two OLD answers were not compared for noise: a write that reached OLD
   * only came between them, so they answer two states of the data. Shown, so that a field left unlearned is
   * explained.
   */
  public void recordRepeatAfterWrite(String endpoint) {
    recording(endpoint, s -> {
      s.repeatsAfterWrites.increment();
      return null;
    });
  }

  /** OLD-vs-OLD comparisons recorded so far for the endpoint (learning stops at the configured number). */
  public long oldRepeats(String endpoint) {
    EndpointStats s = endpoints.get(endpoint);
    return s == null ? 0 : s.oldProbes.sum();
  }

  /** Records an exchange with a secondary OLD answer: fields that differed OLD vs OLD, and OLD vs NEW. */
  public void recordSecondary(String endpoint, Set<String> oldOldFields, Set<String> oldNewFields) {
    recording(endpoint, s -> {
      recordSecondary(s, endpoint, oldOldFields, oldNewFields);
      return null;
    });
  }

  private void recordSecondary(EndpointStats s, String endpoint, Set<String> oldOldFields, Set<String> oldNewFields) {
    s.secondaryTrials.increment();
    for (String f : oldOldFields) {
      EndpointStats.adder(s.secondaryOldFields, f).increment();
    }
    for (String f : oldNewFields) {
      EndpointStats.adder(s.secondaryNewFields, f).increment();
    }
    policy.settle(s);
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
    return s == null ? policy.reasonWithoutEvidence(field) : policy.reason(s, field);
  }

  /** Records an exchange where OLD or NEW failed; an OLD failure takes precedence when both failed. */
  public Outcome recordError(String endpoint, Exchange exchange) {
    return recording(endpoint, s -> recordError(s, endpoint, exchange));
  }

  private Outcome recordError(EndpointStats s, String endpoint, Exchange exchange) {
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
    keeper.keep(s, List.of(ERROR_FIELD), () -> keeper.make(exchange, null, List.of(ERROR_FIELD),
        kind + ": " + failureMessage(exchange)));
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
    return recording(endpoint, s -> recordNotComparable(s, endpoint, exchange, reason, detail));
  }

  private Outcome recordNotComparable(EndpointStats s, String endpoint, Exchange exchange, NotComparableReason reason,
      String detail) {
    recordLatencies(s, exchange);
    String field = NOT_COMPARABLE_FIELD;
    keeper.keep(s, List.of(field), () -> keeper.make(exchange, null, List.of(field), reason.wireName() + ": " + detail));
    s.notComparable.computeIfAbsent(reason, r -> new LongAdder()).increment();
    return new Outcome(endpoint, Outcome.Kind.NOT_COMPARABLE, null, reason.wireName());
  }

  /** Records an exchange that was not compared. */
  public void recordSkipped(String endpoint, SkipReason reason) {
    recording(endpoint, s -> {
      s.skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
      return null;
    });
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
      case ACCEPTED -> s.accepted.sum();
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
    policy.settle(s);
    return NoisePolicy.reclassified(s);
  }

  /** Records that OLD failed on a request of the endpoint that was not mirrored (it is already counted as skipped). */
  public void recordUnmirroredOldFailure(String endpoint, BackendFailure.Kind kind) {
    recording(endpoint, s -> {
      EndpointStats.adder(s.unmirroredOldErrors, kind.wireName()).increment();
      return null;
    });
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
    long n = NoisePolicy.sum(s.errorKinds, backend + ":" + kind.wireName());
    return backend.equals("old") ? n + NoisePolicy.sum(s.unmirroredOldErrors, kind.wireName()) : n;
  }

  private static String failureMessage(Exchange exchange) {
    BackendResult r = exchange.oldResult() instanceof BackendFailure ? exchange.oldResult() : exchange.newResult();
    return ((BackendFailure) r).message();
  }

  private static void recordLatencies(EndpointStats s, Exchange exchange) {
    s.oldLatency.record(exchange.oldResult().latencyNanos());
    s.newLatency.record(exchange.newResult().latencyNanos());
  }

  /** Samples kept for an endpoint, newest last, each once; empty for an unknown endpoint. */
  public List<Sample> samples(String endpoint) {
    EndpointStats s = endpoints.get(endpoint);
    return s == null ? List.of() : keeper.all(s);
  }

  /** One endpoint's trials and failures, as its verdict counts them: what the store's trend follows. */
  public record VerdictCounts(String endpoint, long trials, long failures) {}

  /**
   * Every endpoint's trials and failures, without building a report (no samples, fields or latencies): the store
   * takes a trend point from these every few seconds.
   */
  public List<VerdictCounts> verdictCounts() {
    List<VerdictCounts> list = new ArrayList<>(endpoints.size());
    for (Map.Entry<String, EndpointStats> e : new TreeMap<>(endpoints).entrySet()) {
      EndpointStats s = e.getValue();
      policy.settle(s);
      long[] counted = EndpointReport.trialsAndFailures(s.compared.sum(), s.mismatched.sum(), NoisePolicy.reclassified(s),
          s.newErrors.sum(), s.notComparable.values().stream().mapToLong(LongAdder::sum).sum());
      list.add(new VerdictCounts(e.getKey(), counted[0], counted[1]));
    }
    return list;
  }

  /** The report of everything recorded so far. */
  public Report report() {
    List<EndpointReport> list = new ArrayList<>(endpoints.size());
    for (Map.Entry<String, EndpointStats> e : new TreeMap<>(endpoints).entrySet()) {
      list.add(reports.build(e.getKey(), e.getValue()));
    }
    return Report.of(clock.instant(), new Report.VerdictRule(verdict.maxMismatchRate(), verdict.confidence(),
        verdict.minCompared()), list);
  }

  /** Endpoints seen so far, sorted. */
  public List<String> endpoints() {
    List<String> names = new ArrayList<>(endpoints.keySet());
    Collections.sort(names);
    return names;
  }

  /** Every count held, endpoint by endpoint, as flat rows ({@link LedgerCounts}); for persisting the ledger. */
  public void exportCounts(LedgerCounts.Sink sink) {
    endpoints.forEach((endpoint, s) -> exportConsistent(endpoint, s, sink));
  }

  /**
   * An endpoint's counts as of a moment when no recording was half done (it waits for those under way, and holds
   * new ones back for the time of the snapshot): a store flushed in the middle of one would keep a field without its
   * mismatch if the tap died before the next flush.
   */
  private static void exportConsistent(String endpoint, EndpointStats s, LedgerCounts.Sink sink) {
    long stamp = s.recording.writeLock();
    try {
      LedgerCounts.export(endpoint, s, sink);
    } finally {
      s.recording.unlockWrite(stamp);
    }
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
    return keeper.keep(stats(endpoint), sample.fields(), () -> sample);
  }

  /** The limits it keeps samples and fields within (a shared store keeps the same caps across a fleet). */
  public LimitsConfig limits() {
    return limits;
  }

  /**
   * Forgets everything recorded: a new evidence period. Hands back what was recorded until then, complete: a
   * recording under way when the period changed ends in it, and one that starts after goes to the new period, so a
   * store can write the last of the old period's counts to it and lose nothing.
   */
  public Retired reset() {
    Map<String, EndpointStats> taken = new java.util.TreeMap<>();
    for (String endpoint : List.copyOf(endpoints.keySet())) {
      EndpointStats s = endpoints.remove(endpoint);
      if (s != null) {
        taken.put(endpoint, s);
      }
    }
    for (EndpointStats s : taken.values()) {
      long stamp = s.recording.writeLock(); // waits for the recordings under way in it
      s.retired = true;
      s.recording.unlockWrite(stamp);
    }
    return new Retired(taken, keeper);
  }

  /** The counts and samples of a period that ended ({@link #reset}); no recording changes them any more. */
  public static final class Retired {
    private final Map<String, EndpointStats> endpoints;
    private final SampleKeeper keeper;

    private Retired(Map<String, EndpointStats> endpoints, SampleKeeper keeper) {
      this.endpoints = endpoints;
      this.keeper = keeper;
    }

    /** Nothing: for a reset that has no counts to hand over. */
    public static Retired none() {
      return new Retired(Map.of(), null);
    }

    /** Every count, as {@link Ledger#exportCounts} gives them. */
    public void exportCounts(LedgerCounts.Sink sink) {
      endpoints.forEach((endpoint, s) -> LedgerCounts.export(endpoint, s, sink));
    }

    /** Every sample, each once. */
    public void exportSamples(java.util.function.BiConsumer<String, Sample> sink) {
      endpoints.forEach((endpoint, s) -> keeper.all(s).forEach(sample -> sink.accept(endpoint, sample)));
    }
  }
}
