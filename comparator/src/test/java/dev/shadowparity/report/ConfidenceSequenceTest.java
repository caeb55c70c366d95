package dev.shadowparity.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfidenceSequenceTest {

  private static final double ALLOWED = 0.01;
  private final ConfidenceSequence rule = new ConfidenceSequence(ALLOWED, 0.95, 30);

  /**
   * Of {@code endpoints} simulated endpoints failing at {@code rate} (fixed seed), the share whose verdict is ever
   * {@code verdict} when judged after every one of their first {@code horizon} exchanges.
   */
  private double everReached(Verdict verdict, double rate, int endpoints, int horizon, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int reached = 0;
    for (int e = 0; e < endpoints; e++) {
      long failures = 0;
      for (long n = 1; n <= horizon; n++) {
        if (random.nextDouble() < rate) {
          failures++;
        }
        if (rule.verdict(failures, n) == verdict) {
          reached++;
          break;
        }
      }
    }
    return (double) reached / endpoints;
  }

  /**
   * The promise: an endpoint whose true rate is exactly the allowed one is ever called PROVEN, at any look, with
   * probability at most (1 - confidence) / 2. 2,000 such endpoints, each judged after every one of 5,000 exchanges
   * (the tap, the page, Argo and Flagger look again and again): at most 2.5% of them may ever be PROVEN.
   */
  @Test
  void anEndpointAtTheAllowedRate_isEverProven_atMostAsOftenAsPromised_howeverOftenItIsChecked() {
    assertThat(everReached(Verdict.PROVEN, ALLOWED, 2_000, 5_000, 20261206)).isLessThanOrEqualTo(0.025);
  }

  /** The same watching of endpoints failing exactly at the allowed rate: FAILING is as trustworthy. */
  @Test
  void anEndpointAtTheAllowedRate_isEverFailing_atMostAsOftenAsPromised() {
    assertThat(everReached(Verdict.FAILING, ALLOWED, 1_000, 5_000, 7)).isLessThanOrEqualTo(0.025);
  }

  /** Power: endpoints failing at a fifth of the allowed rate are PROVEN, nearly all within 3,000 exchanges. */
  @Test
  void anEndpointAtAFifthOfTheAllowedRate_isProvenWithin3000Exchanges() {
    assertThat(everReached(Verdict.PROVEN, ALLOWED / 5, 1_000, 3_000, 42)).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void aCleanEndpoint_isProvenWithinAbout600Exchanges_andSaysHowManyItStillNeeds() {
    long needed = rule.cleanNeeded(0, 0);
    assertThat(needed).isBetween(550L, 600L);
    assertThat(rule.verdict(0, needed)).isEqualTo(Verdict.PROVEN);
    assertThat(rule.verdict(0, needed - 1)).isEqualTo(Verdict.UNPROVEN);
    assertThat(rule.cleanNeeded(0, 100)).isEqualTo(needed - 100);
    ConfidenceSequence.Judgement j = rule.judge(0, 100);
    assertThat(j.verdict()).isEqualTo(Verdict.UNPROVEN);
    assertThat(j.cleanNeeded()).isEqualTo(needed - 100);
    assertThat(rule.judge(0, needed).cleanNeeded()).isZero();
  }

  @Test
  void aFewFailures_costMoreCleanExchanges_andTheCountIsExact() {
    long none = rule.cleanNeeded(0, 200);
    long two = rule.cleanNeeded(2, 200);
    assertThat(two).isGreaterThan(none);
    assertThat(rule.verdict(2, 200 + two)).isEqualTo(Verdict.PROVEN);
    assertThat(rule.verdict(2, 200 + two - 1)).isNotEqualTo(Verdict.PROVEN);
  }

  @Test
  void anEndpointThatAlwaysFails_isFailingAfterTwoExchanges() {
    assertThat(rule.verdict(1, 1)).isEqualTo(Verdict.UNPROVEN);
    assertThat(rule.verdict(2, 2)).isEqualTo(Verdict.FAILING);
    assertThat(rule.verdict(50, 100)).isEqualTo(Verdict.FAILING);
  }

  @Test
  void minCompared_stillHoldsBackProven() {
    ConfidenceSequence strict = new ConfidenceSequence(0.5, 0.95, 100);
    assertThat(new ConfidenceSequence(0.5, 0.95, 0).verdict(0, 20)).isEqualTo(Verdict.PROVEN);
    assertThat(strict.verdict(0, 20)).isEqualTo(Verdict.UNPROVEN);
    assertThat(strict.cleanNeeded(0, 20)).isEqualTo(80);
  }

  @Test
  void bounds_holdTheObservedRate_andNarrowAsEvidenceGrows() {
    ConfidenceSequence.Judgement few = rule.judge(10, 100);
    ConfidenceSequence.Judgement many = rule.judge(1000, 10_000);
    assertThat(few.lowerBound()).isLessThan(0.1);
    assertThat(few.upperBound()).isGreaterThan(0.1);
    assertThat(many.upperBound() - many.lowerBound()).isLessThan(few.upperBound() - few.lowerBound());
    assertThat(rule.judge(0, 0).upperBound()).isEqualTo(1.0);
    assertThat(rule.judge(0, 50).lowerBound()).isZero();
    assertThat(rule.judge(5, 5).upperBound()).isEqualTo(1.0);
  }

  @Test
  void anAllowedRateOfZero_canFailButNeverProve() {
    ConfidenceSequence zero = new ConfidenceSequence(0, 0.95, 0);
    assertThat(zero.verdict(0, 1_000_000)).isEqualTo(Verdict.UNPROVEN);
    assertThat(zero.verdict(1, 10)).isEqualTo(Verdict.FAILING);
    assertThat(zero.cleanNeeded(0, 10)).isEqualTo(-1);
  }

  @Test
  void countsInTheBillions_areJudged() {
    assertThat(rule.verdict(1_000_000, 1_000_000_000L)).isEqualTo(Verdict.PROVEN);
    assertThat(rule.verdict(20_000_000, 1_000_000_000L)).isEqualTo(Verdict.FAILING);
  }

  @Test
  void logGamma_isAccurate() {
    assertThat(ConfidenceSequence.logGamma(1)).isCloseTo(0, within(1e-12));
    assertThat(ConfidenceSequence.logGamma(10)).isCloseTo(Math.log(362_880), within(1e-10));
    assertThat(ConfidenceSequence.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> rule.judge(5, 3)).hasMessageContaining("5 of 3");
    assertThatThrownBy(() -> new ConfidenceSequence(0.01, 1.0, 0)).hasMessageContaining("confidence");
  }
}
