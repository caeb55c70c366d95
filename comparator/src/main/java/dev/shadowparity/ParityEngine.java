package dev.shadowparity;

import dev.shadowparity.config.ParityConfig;
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
import java.util.Map;
import java.util.Objects;

/**
 * The flow shared by the live tap and offline replay: name the endpoint, pick its rules, compare, give each
 * difference its likely cause, record in the ledger. Thread-safe; {@link #process(Exchange)} is CPU work and belongs off any event loop.
 */
public final class ParityEngine {

  private final ParityConfig config;
  private final EndpointTemplater templater;
  private final ResponseComparator comparator;
  private final Rules globalRules;
  private final Map<String, Rules> endpointRules;
  private final Ledger ledger;
  /** For learning noise from repeated requests; null when learning is off. */
  private final RecentOldAnswers recentOld;

  public ParityEngine(ParityConfig config) {
    this(config, new Ledger(config.verdict(), config.limits(), config.noise(), dev.shadowparity.report.Redaction.of(config.redact()),
        java.time.Clock.systemUTC()));
  }

  public ParityEngine(ParityConfig config, Ledger ledger) {
    this.config = Objects.requireNonNull(config, "config");
    this.templater = new EndpointTemplater(config.routes(), config.limits().maxEndpoints());
    this.comparator = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(config.limits().maxDecodedBytes()));
    this.globalRules = config.globalRules();
    this.endpointRules = config.endpointRules();
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.recentOld = config.noise().learn() ? new RecentOldAnswers(config.noise().cacheBytes()) : null;
  }

  /** What happened to one exchange. */
  public enum Kind { MATCH, MISMATCH, ERROR, SKIPPED }

  /**
   * The result of processing one exchange.
   *
   * @param endpoint   the templated endpoint
   * @param kind       match, mismatch, error or skipped
   * @param comparison the comparison as counted (differences at noise fields left out), for matches and mismatches
   */
  public record Outcome(String endpoint, Kind kind, Comparison comparison) {}

  /** The templated endpoint of a request, e.g. {@code GET /api/users/{id}}. */
  public String endpointOf(RecordedRequest request) {
    return templater.endpointOf(request.method(), request.uri());
  }

  /** The rules for an endpoint: its own added to the global ones. */
  public Rules rulesFor(String endpoint) {
    return endpointRules.getOrDefault(endpoint, globalRules);
  }

  /** Compares an exchange and records it; backend failures are recorded as errors. */
  public Outcome process(Exchange exchange) {
    return process(endpointOf(exchange.request()), exchange);
  }

  /** As {@link #process(Exchange)}, for a caller that has already named the endpoint. */
  public Outcome process(String endpoint, Exchange exchange) {
    Rules rules = rulesFor(endpoint);
    if (exchange.oldResult() instanceof RecordedResponse old) {
      learnFromRepeat(endpoint, exchange.request(), old, rules);
    }
    if (exchange.oldResult() instanceof BackendFailure || exchange.newResult() instanceof BackendFailure) {
      ledger.recordError(endpoint, exchange);
      return new Outcome(endpoint, Kind.ERROR, null);
    }
    RecordedResponse old = (RecordedResponse) exchange.oldResult();
    Comparison comparison = compare(exchange.request(), old, (RecordedResponse) exchange.newResult(), rules);
    java.util.Set<String> noiseHere = java.util.Set.of();
    if (exchange.secondaryOld() instanceof RecordedResponse second) {
      noiseHere = comparator.compare(old, second, rules).fields();
      ledger.recordSecondary(endpoint, noiseHere, comparison.fields());
    }
    Comparison counted = ledger.recordComparison(endpoint, exchange, comparison, noiseHere);
    return new Outcome(endpoint, counted.match() ? Kind.MATCH : Kind.MISMATCH, counted);
  }

  /**
   * Compares OLD's answer with its previous answer to the same request, if any: what differs is volatile. Stops
   * for an endpoint after {@code noise.probes-per-endpoint} such comparisons.
   */
  private void learnFromRepeat(String endpoint, RecordedRequest request, RecordedResponse old, Rules rules) {
    if (recentOld == null || ledger.oldRepeats(endpoint) >= config.noise().probesPerEndpoint()) {
      return;
    }
    RecordedResponse previous = recentOld.swap(endpoint, request, old);
    if (previous != null) {
      ledger.recordOldRepeat(endpoint, comparator.compare(previous, old, rules).fields());
    }
  }

  /**
   * Compares two responses under the rules and, when they differ, gives each difference its likely cause
   * ({@link DifferenceClassifier}); a match costs nothing more than the comparison. Records nothing.
   *
   * @param request the request both answered, {@code null} when unknown (its credentials matter to a cause)
   */
  public Comparison compare(RecordedRequest request, RecordedResponse oldResponse, RecordedResponse newResponse,
      Rules rules) {
    Comparison comparison = comparator.compare(oldResponse, newResponse, rules);
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

  /** Records a request of a known endpoint that was not compared. */
  public Outcome skip(String endpoint, SkipReason reason) {
    ledger.recordSkipped(endpoint, reason);
    return new Outcome(endpoint, Kind.SKIPPED, null);
  }

  /** Starts a new evidence period: the ledger and the endpoint cap start afresh. */
  public void reset() {
    ledger.reset();
    templater.reset();
  }

  /** The templated endpoint of a method and request target. */
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
}
