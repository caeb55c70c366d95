package dev.shadowparity.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * One entry of {@code endpoints:}: normalization rules added to the global ones, and the tap's sampling
 * for this endpoint. Keys as in {@link RulesConfig}, plus:
 *
 * @param sampleRate    overrides the global {@code sample-rate} for this endpoint
 * @param mirrorMethods overrides the global {@code mirror-methods} for this endpoint (e.g. allow POST)
 */
public record EndpointConfig(List<String> ignoreHeaders, List<String> compareHeaders, List<String> ignore,
    List<String> unordered, BigDecimal numericTolerance, Boolean foldWhitespace, Double sampleRate,
    List<String> mirrorMethods) {

  public EndpointConfig {
    sampleRate = sampleRate == null ? null : TapConfig.checkRate(sampleRate, 1.0, "sample-rate");
    mirrorMethods = mirrorMethods == null ? null : TapConfig.methods(mirrorMethods, "mirror-methods");
    // checked while the YAML is bound, so that a mistake here is reported with its file, line and key, as under rules:
    new RulesConfig(ignoreHeaders, compareHeaders, ignore, unordered, numericTolerance, foldWhitespace);
  }

  /** The normalization part. */
  public RulesConfig rules() {
    return new RulesConfig(ignoreHeaders, compareHeaders, ignore, unordered, numericTolerance, foldWhitespace);
  }
}
