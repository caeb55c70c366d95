package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.engine.Cause;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's evidence.
 *
 * @param endpoint     {@code METHOD /path/{id}}
 * @param compared     exchanges where both backends answered and the responses were compared
 * @param matched      compared and equal after normalization
 * @param mismatched   compared and different
 * @param errors       exchanges where a backend failed (timeout, refused, reset, garbage)
 * @param errorKinds   errors by {@code backend:kind}, e.g. {@code new:timeout}
 * @param skipped      exchanges not compared, by reason
 * @param trials       exchanges the verdict counts: compared plus NEW failures
 * @param failures     of those, the mismatched plus NEW failures
 * @param mismatchRate failures / trials (0 when there are no trials)
 * @param lowerBound   lower Wilson bound of the rate
 * @param upperBound   upper Wilson bound of the rate
 * @param verdict      PROVEN, FAILING or UNPROVEN
 * @param fields       mismatch counts per field key and kind, most frequent first, with their likely cause
 * @param causes       mismatching exchanges per likely cause (each exchange once per cause), most frequent first
 * @param latency      OLD and NEW latency percentiles
 * @param samples      a bounded set of mismatching exchanges
 * @param noise        fields that are noise or have OLD-vs-OLD evidence, with that evidence
 */
@JsonPropertyOrder({"endpoint", "compared", "matched", "mismatched", "errors", "errorKinds", "skipped", "trials",
    "failures", "mismatchRate", "lowerBound", "upperBound", "verdict", "fields", "causes", "noise", "latency", "samples"})
public record EndpointReport(String endpoint, long compared, long matched, long mismatched, long errors,
    Map<String, Long> errorKinds, Map<String, Long> skipped, long trials, long failures, double mismatchRate,
    double lowerBound, double upperBound, Verdict verdict, List<FieldCount> fields, Map<String, Long> causes,
    Latency latency, List<Sample> samples, List<NoiseField> noise) {

  public EndpointReport {
    errorKinds = Map.copyOf(errorKinds);
    skipped = Map.copyOf(skipped);
    fields = List.copyOf(fields);
    causes = Collections.unmodifiableMap(new LinkedHashMap<>(causes)); // keeps most frequent first
    samples = List.copyOf(samples);
    noise = noise == null ? List.of() : List.copyOf(noise);
  }

  /**
   * How many exchanges differed at one field key with one kind of difference.
   *
   * @param cause the likely cause found in most of those exchanges, when more had it than had none; else
   *              {@code null} (absent in JSON)
   */
  @JsonPropertyOrder({"field", "kind", "count", "cause"})
  public record FieldCount(String field, String kind, long count,
      @JsonInclude(JsonInclude.Include.NON_NULL) Cause cause) {

    public FieldCount(String field, String kind, long count) {
      this(field, kind, count, null);
    }
  }

  /** Latency of both backends. */
  public record Latency(Percentiles old, @com.fasterxml.jackson.annotation.JsonProperty("new") Percentiles neu) {}

  /** Latency percentiles in milliseconds over the exchanges that had a measured latency. */
  @JsonPropertyOrder({"count", "p50Ms", "p99Ms", "maxMs"})
  public record Percentiles(long count, double p50Ms, double p99Ms, double maxMs) {}
}
