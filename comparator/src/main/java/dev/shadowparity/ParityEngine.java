package dev.shadowparity;

import dev.shadowparity.baseline.Baseline;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.drift.UnmirroredWrites;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.Difference;
import java.util.ArrayList;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DifferenceClassifier;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.noise.RecentOldAnswers;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.ledger.NotComparableReason;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.ledger.ProblemLog;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * The flow shared by the live tap and offline replay, and the one recording path: name the endpoint, pick its
 * rules, compare, give each difference its likely cause, record exactly one {@link Outcome} in the ledger, tell the
 * {@link EvidenceListener}s. Thread-safe; {@link #process(Exchange)} is CPU work and belongs off any event loop.
 */
public final class ParityEngine {

  private final ParityConfig config;
  private final EndpointTemplater templater;
  private final ResponseComparator comparator;
  private final dev.shadowparity.grpc.GrpcSchemas grpcSchemas;
  private final Rules globalRules;
  private final Map<String, Rules> endpointRules;
  private final Ledger ledger;
  /** For learning noise from repeated requests; null when learning is off. */
  private final RecentOldAnswers recentOld;
  private final List<EvidenceListener> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder recordingFailures = new LongAdder();
  private final ProblemLog problems = new ProblemLog(LoggerFactory.getLogger(ParityEngine.class));
  /** Writes that reached OLD only, to explain later reads that mismatch. */
  private final UnmirroredWrites writes;
  /** The differences accepted as intended; replaced whole when an entry is added. */
  private volatile Baseline baseline = Baseline.NONE;

  public ParityEngine(ParityConfig config) {
    this(config, new Ledger(config.verdict(), config.limits(), config.noise(), dev.shadowparity.redact.Redaction.of(config.redact()),
        java.time.Clock.systemUTC()));
  }

  public ParityEngine(ParityConfig config, Ledger ledger) {
    this(config, ledger, ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(config.limits().maxDecodedBytes())
        .setGrpcSchemas(config.grpc().schemas())));
  }

  /** With another comparator (tests inject faults through it). */
  ParityEngine(ParityConfig config, Ledger ledger, ResponseComparator comparator) {
    this.config = Objects.requireNonNull(config, "config");
    this.templater = new EndpointTemplater(config.routes(), config.limits().maxEndpoints(), config.limits().slugThreshold(),
        config.redact().pathSegmentPatterns());
    this.comparator = Objects.requireNonNull(comparator, "comparator");
    this.grpcSchemas = comparator instanceof dev.shadowparity.engine.impl.DefaultResponseComparator d ? d.grpcSchemas()
        : dev.shadowparity.grpc.GrpcSchemas.NONE;
    this.globalRules = config.globalRules();
    this.endpointRules = config.endpointRules();
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.recentOld = config.noise().learn() ? new RecentOldAnswers(config.noise().cacheBytes()) : null;
    this.writes = new UnmirroredWrites(UnmirroredWrites.DEFAULT_MAX_PATHS, java.time.Clock.systemUTC());
  }

  /** Judges from now on with this baseline: the differences it accepts are counted as accepted, never as mismatches. */
  public void baseline(Baseline baseline) {
    this.baseline = Objects.requireNonNull(baseline, "baseline");
  }

  /** The baseline in use ({@link Baseline#NONE} when none). */
  public Baseline baseline() {
    return baseline;
  }

  /**
   * Remembers a write that reached OLD and not NEW (an unsafe method the tap does not mirror, an unsafe record a replay
   * skips), with OLD's status: a later read of the same resource that mismatches is likely explained by it. Cheap and
   * non-blocking (the tap calls it on its event loop).
   */
  public void unmirroredWrite(String method, String uri, int oldStatus) {
    writes.remember(method, uri, oldStatus, null);
  }

  /** As {@link #unmirroredWrite(String, String, int)}, for a write recorded at {@code at} (a replayed capture). */
  public void unmirroredWrite(String method, String uri, int oldStatus, java.time.Instant at) {
    writes.remember(method, uri, oldStatus, at);
  }

  /**
   * The sequence number of the latest write that reached OLD only: taken when a request is sent (before OLD sees it)
   * and carried in its {@link Exchange}, so that only earlier writes explain its answer.
   */
  public long writeSequence() {
    return writes.sequence();
  }

  /** The report of everything recorded, with the baseline's entries and their use when there is a baseline. */
  public dev.shadowparity.report.Report report() {
    return withBaselineUses(ledger.report());
  }

  /**
   * A report made of other evidence (a fleet's, read from a shared store) with this engine's baseline entries and
   * their use in it, when there is a baseline.
   */
  public dev.shadowparity.report.Report withBaselineUses(dev.shadowparity.report.Report r) {
    Baseline b = baseline;
    return b.isEmpty() && b.file() == null ? r : r.withBaseline(b.uses(r));
  }

  /** The templated endpoint of a request, e.g. {@code GET /api/users/{id}}; a gRPC call's is {@code grpc /pkg.Svc/Method}. */
  public String endpointOf(RecordedRequest request) {
    return templater.endpointOf(request.method(), request.uri(), request.headers().get("content-type"));
  }

  /**
   * Where this engine finds gRPC calls' message types ({@code grpc:} in the config); the tap and replay point its
   * server reflection at their backends ({@link dev.shadowparity.grpc.GrpcSchemas#reflectOn}).
   */
  public dev.shadowparity.grpc.GrpcSchemas grpcSchemas() {
    return grpcSchemas;
  }

  /** The rules for an endpoint: its own added to the global ones. */
  public Rules rulesFor(String endpoint) {
    return endpointRules.getOrDefault(endpoint, globalRules);
  }

  /** Judges an exchange and records its outcome; backend failures are recorded as errors. */
  public Outcome process(Exchange exchange) {
    return process(endpointOf(exchange.request()), exchange);
  }

  /**
   * The one recording path: judges the exchange, records exactly one outcome in the ledger, then tells the
   * listeners (metrics, capture). Never throws for anything in the exchange: a failure while decoding, diffing,
   * classifying or recording is recorded as {@link NotComparableReason#INTERNAL_ERROR} for this exchange, counted,
   * and logged once per endpoint and kind.
   */
  public Outcome process(String endpoint, Exchange exchange) {
    Outcome outcome;
    try {
      outcome = judge(endpoint, exchange);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // an allocation too large for the heap (a pathological body) fails this exchange, not the thread that judged it
      problems.failed(endpoint, "judging an exchange", e, "recorded as not comparable (internal-error)");
      outcome = ledger.recordNotComparable(endpoint, exchange, NotComparableReason.INTERNAL_ERROR, describe(e));
    }
    tell(outcome, exchange);
    return outcome;
  }

  private Outcome judge(String endpoint, Exchange exchange) {
    Rules rules = rulesFor(endpoint).without(exchange.oldUnrecorded());
    if (exchange.oldResult() instanceof RecordedResponse old && exchange.oldUnrecorded().isEmpty()) {
      try {
        learnFromRepeat(endpoint, exchange.request(), old, rules, sequenceOf(exchange));
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        // learning is extra evidence of noise; the exchange itself is still judged
        problems.failed(endpoint, "learning noise from a repeated request", e, "no noise learned from it");
      }
    }
    if (clientStream(exchange.request())) {
      // a client or bidirectional stream: passed through, never judged (its answers depend on the interleaving)
      ledger.recordSkipped(endpoint, SkipReason.GRPC_CLIENT_STREAM);
      return new Outcome(endpoint, Outcome.Kind.SKIPPED, null, SkipReason.GRPC_CLIENT_STREAM.wireName());
    }
    if (exchange.oldResult() instanceof BackendFailure || exchange.newResult() instanceof BackendFailure) {
      return ledger.recordError(endpoint, exchange);
    }
    if (exchange.oldResult() instanceof OversizedResponse || exchange.newResult() instanceof OversizedResponse) {
      Comparison large = comparator.compareLarge(exchange.oldResult(), exchange.newResult(), rules);
      if (large == null) {
        return ledger.recordNotComparable(endpoint, exchange, NotComparableReason.OVER_CAP,
            "both bodies are over the copy cap (" + engineCap() + " bytes) and their bytes differ; status and headers are equal");
      }
      return record(endpoint, exchange, large, Set.of());
    }
    RecordedResponse old = (RecordedResponse) exchange.oldResult();
    Comparison comparison = compare(exchange.request(), old, (RecordedResponse) exchange.newResult(), rules);
    Set<String> noiseHere = Set.of();
    if (exchange.secondaryOld() instanceof RecordedResponse second && RecentOldAnswers.sameKind(old, second)) {
      // answers of another status or media type teach nothing about each other's fields (a 304 against a 200)
      noiseHere = comparator.compare(exchange.request(), old, second, rules, dev.shadowparity.engine.Sides.OLD_OLD).fields();
      ledger.recordSecondary(endpoint, noiseHere, comparison.fields());
    }
    return record(endpoint, exchange, comparison, noiseHere);
  }

  /**
   * Whether a request is a gRPC call whose request is a stream: more than one message in its body, or a method the
   * descriptors know as client-streaming. Reflection is not asked here (the comparison asks it).
   */
  private boolean clientStream(RecordedRequest request) {
    if (!dev.shadowparity.grpc.GrpcPath.isCall(request)) {
      return false;
    }
    com.google.protobuf.Descriptors.MethodDescriptor m = grpcSchemas.known(request.path());
    if (m != null && m.isClientStreaming()) {
      return true;
    }
    dev.shadowparity.grpc.GrpcFrames.Frames frames = dev.shadowparity.grpc.GrpcFrames.read(request.body(),
        request.headers().get("grpc-encoding"), config.limits().maxDecodedBytes(), 1);
    return frames.messages().size() + (frames.truncated() ? 1 : 0) > 1;
  }

  private Outcome record(String endpoint, Exchange exchange, Comparison comparison, Set<String> noiseHere) {
    boolean statusesDiffer = status(exchange.oldResult()) != status(exchange.newResult());
    Explained x = explained(exchange.request(), comparison, statusesDiffer, sequenceOf(exchange));
    // the parts not compared: what OLD's record lacked, and what the comparison left out (a gRPC stream past its cap)
    java.util.Set<dev.shadowparity.engine.Unrecorded> notCompared = x.comparison().notCompared().isEmpty()
        ? exchange.oldUnrecorded() : union(exchange.oldUnrecorded(), x.comparison().notCompared());
    return ledger.recordComparison(endpoint, exchange, x.comparison(), new Ledger.Circumstances(noiseHere, baseline, x.write(),
        notCompared));
  }

  /**
   * The comparison of a read that a write to OLD only may explain: its differences that no rule explains get the
   * cause {@code write-not-mirrored}, and the write goes with them (into the sample).
   */
  private Explained explained(RecordedRequest request, Comparison comparison, boolean statusesDiffer, long sentAfter) {
    if (comparison.match()) {
      return new Explained(comparison, null);
    }
    UnmirroredWrites.Write write = writes.explain(request.method(), request.uri(), statusesDiffer, sentAfter);
    if (write == null) {
      return new Explained(comparison, null);
    }
    List<Difference> caused = new ArrayList<>(comparison.differences().size());
    for (Difference d : comparison.differences()) {
      caused.add(d.cause() == null && dataCanCause(d) ? d.withCause(Cause.WRITE_NOT_MIRRORED) : d);
    }
    return new Explained(comparison.withDifferences(caused), write);
  }

  /** The write sequence when the exchange's request was sent; now, when the exchange does not say. */
  private long sequenceOf(Exchange exchange) {
    return exchange.writeSequence() == Exchange.NOW ? writes.sequence() : exchange.writeSequence();
  }

  private static int status(dev.shadowparity.engine.BackendResult r) {
    return r instanceof RecordedResponse x ? x.status() : r instanceof OversizedResponse o ? o.status() : -1;
  }

  /**
   * Whether other data can make this difference: the body, the status and a header's value can (a count, a new
   * version tag), a header that one side has and the other lacks cannot (a lost ETag is the code, not the data).
   */
  private static boolean dataCanCause(Difference d) {
    return !d.field().startsWith("header:") || d.kind() == dev.shadowparity.engine.DiffKind.VALUE;
  }

  private record Explained(Comparison comparison, UnmirroredWrites.Write write) {}

  private long engineCap() {
    return config.limits().responseCopyBytes();
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message != null && message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Tells every listener; a listener that throws loses nothing from the ledger and is counted. */
  private void tell(Outcome outcome, Exchange exchange) {
    for (EvidenceListener l : listeners) {
      try {
        l.recorded(outcome, exchange);
      } catch (RuntimeException e) {
        recordingFailures.increment();
        problems.failed(outcome.endpoint(), "telling " + l.getClass().getSimpleName(), e, "the ledger has the outcome");
      }
    }
  }

  /** Adds a listener told of every outcome from now on. */
  public void addListener(EvidenceListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Listener calls that threw: the ledger holds those outcomes, a metric or capture line may miss them. */
  public long recordingFailures() {
    return recordingFailures.sum();
  }

  /** OLD failed on a request that was not mirrored (already recorded as skipped): records it, tells the listeners. */
  public void oldFailed(String endpoint, BackendFailure.Kind kind) {
    ledger.recordUnmirroredOldFailure(endpoint, kind);
    for (EvidenceListener l : listeners) {
      try {
        l.oldFailed(endpoint, kind);
      } catch (RuntimeException e) {
        recordingFailures.increment();
        problems.failed(endpoint, "telling " + l.getClass().getSimpleName(), e, "an OLD failure may be missing from the metrics");
      }
    }
  }

  /**
   * Compares OLD's answer with its previous answer to the same request ({@link dev.shadowparity.noise.RequestIdentity}),
   * if any, if of the same kind (status and media type) and if no write that reached OLD only came between them: what
   * differs is volatile. Stops for an endpoint after
   * {@code noise.probes-per-endpoint} such comparisons.
   */
  private void learnFromRepeat(String endpoint, RecordedRequest request, RecordedResponse old, Rules rules, long sent) {
    if (recentOld == null || ledger.oldRepeats(endpoint) >= config.noise().probesPerEndpoint()) {
      return;
    }
    RecentOldAnswers.Answer previous = recentOld.swap(endpoint, request, old, sent);
    if (previous == null || !RecentOldAnswers.sameKind(previous.response(), old)) {
      return;
    }
    UnmirroredWrites.Write write = writes.changed(request.method(), request.uri());
    if (write != null && write.seq() > previous.writeSequence()) {
      ledger.recordRepeatAfterWrite(endpoint); // two states of the data, not one: counted, so the report can say why
      return;
    }
    ledger.recordOldRepeat(endpoint, comparator.compare(request, previous.response(), old, rules,
        dev.shadowparity.engine.Sides.OLD_OLD).fields());
  }

  /**
   * Compares two responses under the rules and, when they differ, gives each difference its likely cause
   * ({@link DifferenceClassifier}); a match costs nothing more than the comparison. Records nothing.
   *
   * @param request the request both answered, {@code null} when unknown (its credentials matter to a cause)
   */
  public Comparison compare(RecordedRequest request, RecordedResponse oldResponse, RecordedResponse newResponse,
      Rules rules) {
    Comparison comparison = comparator.compare(request, oldResponse, newResponse, rules);
    if (comparison.match()) {
      return comparison;
    }
    return DifferenceClassifier.classify(comparison,
        DifferenceClassifier.Context.of(request, oldResponse, newResponse, comparison));
  }

  /** Records a request that was not compared. */
  public Outcome skip(RecordedRequest request, SkipReason reason) {
    return skip(endpointOf(request), reason);
  }

  /** Records a request of a known endpoint that was not compared, through the one recording path. */
  public Outcome skip(String endpoint, SkipReason reason) {
    ledger.recordSkipped(endpoint, reason);
    Outcome outcome = new Outcome(endpoint, Outcome.Kind.SKIPPED, null, reason.wireName());
    tell(outcome, null);
    return outcome;
  }

  /**
   * Starts a new evidence period: the ledger, the endpoint cap and the learned {@code {name}} positions start afresh;
   * the listeners are told.
   */
  public dev.shadowparity.ledger.Ledger.Retired reset() {
    dev.shadowparity.ledger.Ledger.Retired retired = ledger.reset();
    writes.reset(); // its sequence goes on: answers kept from before compare right with writes after
    if (recentOld != null) {
      recentOld.clear(); // a new period learns from its own evidence only
    }
    templater.reset();
    for (EvidenceListener l : listeners) {
      try {
        l.reset();
      } catch (RuntimeException e) {
        recordingFailures.increment();
        problems.failed("(all endpoints)", "telling " + l.getClass().getSimpleName() + " of a new period", e, "its counts may be off");
      }
    }
    return retired;
  }

  /** The endpoint of a method, request target and Content-Type: a gRPC call's is {@code grpc /pkg.Svc/Method}. */
  public String endpointOf(String method, String uri, String contentType) {
    return templater.endpointOf(method, uri, contentType);
  }

  /** The templated endpoint of a method and request target (not a gRPC call: see the Content-Type form). */
  public String endpointOf(String method, String uri) {
    return templater.endpointOf(method, uri);
  }

  /** A cache of {@link #endpointOf(String, String)} for one thread (an event loop). */
  public EndpointTemplater.LocalCache endpointCache() {
    return templater.localCache();
  }

  public ResponseComparator comparator() {
    return comparator;
  }

  public Ledger ledger() {
    return ledger;
  }

  public ParityConfig config() {
    return config;
  }

  private static java.util.Set<dev.shadowparity.engine.Unrecorded> union(java.util.Set<dev.shadowparity.engine.Unrecorded> a,
      java.util.Set<dev.shadowparity.engine.Unrecorded> b) {
    java.util.EnumSet<dev.shadowparity.engine.Unrecorded> all = java.util.EnumSet.noneOf(dev.shadowparity.engine.Unrecorded.class);
    all.addAll(a);
    all.addAll(b);
    return all;
  }

}
