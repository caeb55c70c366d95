package dev.shadowparity.config;

import java.util.List;

/**
 * How noise (fields that differ between two answers of the OLD stack itself) is learned and pinned.
 *
 * @param learn             learn volatile fields from repeated identical requests to OLD (default true)
 * @param minEvidence       OLD-vs-OLD differences at a field before it counts as noise (default 3)
 * @param minRate           learned from repeats: the share of OLD-vs-OLD comparisons of the endpoint in which the
 *                          field differed, at least (default 0.3), so that data that changed once in a while
 *                          (a stock count) is not taken for noise
 * @param cacheBytes        bytes of recent OLD responses kept to compare repeats with (default 32 MiB)
 * @param probesPerEndpoint OLD-vs-OLD comparisons per endpoint at most; learning stops after (default 1000)
 * @param margin            with a secondary OLD: a field is noise while NEW's difference rate there is at most
 *                          OLD's own rate plus this (default 0.05)
 * @param always            field keys always treated as noise ({@code /request_id}, {@code header:x-trace})
 * @param never             field keys never treated as noise, however often OLD differs there
 */
public record NoiseConfig(Boolean learn, Integer minEvidence, Double minRate, Long cacheBytes, Integer probesPerEndpoint, Double margin,
    List<String> always, List<String> never) {

  public static final int DEFAULT_MIN_EVIDENCE = 3;
  public static final long DEFAULT_CACHE_BYTES = 32L * 1024 * 1024;
  public static final int DEFAULT_PROBES_PER_ENDPOINT = 1000;
  public static final double DEFAULT_MARGIN = 0.05;
  public static final double DEFAULT_MIN_RATE = 0.3;
  public static final NoiseConfig DEFAULTS = new NoiseConfig(null, null, null, null, null, null, null, null);

  public NoiseConfig {
    learn = learn == null || learn;
    minEvidence = ConfigChecks.positive(minEvidence, DEFAULT_MIN_EVIDENCE, "min-evidence");
    cacheBytes = ConfigChecks.positive(cacheBytes, DEFAULT_CACHE_BYTES, "cache-bytes");
    probesPerEndpoint = ConfigChecks.positive(probesPerEndpoint, DEFAULT_PROBES_PER_ENDPOINT, "probes-per-endpoint");
    margin = fraction(margin, DEFAULT_MARGIN, "margin");
    minRate = fraction(minRate, DEFAULT_MIN_RATE, "min-rate");
    always = ConfigChecks.strings(always, "always");
    never = ConfigChecks.strings(never, "never");
    for (String f : always) {
      if (never.contains(f)) {
        throw new InvalidValueException("never", "'" + f + "' is also listed under always");
      }
    }
  }

  private static double fraction(Double value, double dflt, String key) {
    double v = value == null ? dflt : value;
    if (!(v >= 0 && v <= 1)) {
      throw new InvalidValueException(key, "must be between 0 and 1, got " + value);
    }
    return v;
  }
}
