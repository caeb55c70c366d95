package dev.shadowparity.config;

import dev.shadowparity.engine.PointerPattern;
import dev.shadowparity.engine.Rules;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code rules:} block (global) or one entry of {@code endpoints:} (added to the global rules).
 *
 * @param ignoreHeaders    headers ignored on top of the defaults
 * @param compareHeaders   headers compared by full value: although ignored by default (e.g. {@code server}), or
 *                         instead of by presence and kind (the validators, e.g. {@code etag})
 * @param ignore           JSON Pointers ({@code *} for any key or index) left out with their subtrees
 * @param unordered        JSON Pointers of arrays compared without regard to order
 * @param numericTolerance largest absolute difference at which two numbers are still equal
 * @param foldWhitespace   fold runs of white space in text bodies
 */
public record RulesConfig(List<String> ignoreHeaders, List<String> compareHeaders, List<String> ignore,
    List<String> unordered, BigDecimal numericTolerance, Boolean foldWhitespace) {

  public static final RulesConfig EMPTY = new RulesConfig(null, null, null, null, null, null);

  public RulesConfig {
    ignoreHeaders = ConfigChecks.strings(ignoreHeaders, "ignore-headers");
    compareHeaders = ConfigChecks.strings(compareHeaders, "compare-headers");
    ignore = ConfigChecks.pointers(ignore, "ignore");
    unordered = ConfigChecks.pointers(unordered, "unordered");
    if (numericTolerance != null && numericTolerance.signum() < 0) {
      throw new InvalidValueException("numeric-tolerance", "must not be negative, got " + numericTolerance);
    }
  }

  /** The engine's rules for this block alone. */
  public Rules toRules() {
    Rules.Builder b = Rules.builder()
        .ignoreHeaders(ignoreHeaders)
        .compareHeaders(compareHeaders)
        .ignore(ignore.stream().map(PointerPattern::parse).toList())
        .unordered(unordered.stream().map(PointerPattern::parse).toList());
    if (numericTolerance != null) {
      b.numericTolerance(numericTolerance);
    }
    if (foldWhitespace != null) {
      b.foldWhitespace(foldWhitespace);
    }
    return b.build();
  }
}
