package dev.shadowparity.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonTest {

  @Test
  void zQuantilesMatchTables() {
    assertThat(Wilson.z(0.95)).isCloseTo(1.959964, within(1e-5));
    assertThat(Wilson.z(0.99)).isCloseTo(2.575829, within(1e-5));
    assertThat(Wilson.z(0.90)).isCloseTo(1.644854, within(1e-5));
  }

  @Test
  void intervalMatchesHandComputedValues() {
    // 10 failures of 100 at 95%: [0.0552, 0.1744] (Wilson score interval)
    double[] b = Wilson.interval(10, 100, 0.95);
    assertThat(b[0]).isCloseTo(0.0552, within(1e-4));
    assertThat(b[1]).isCloseTo(0.1744, within(1e-4));
  }

  @Test
  void zeroFailuresUpperBoundShrinksWithTrials() {
    assertThat(Wilson.interval(0, 100, 0.95)[1]).isCloseTo(0.0370, within(1e-4));
    assertThat(Wilson.interval(0, 1000, 0.95)[1]).isCloseTo(0.00383, within(1e-5));
    assertThat(Wilson.interval(0, 100, 0.95)[0]).isZero();
  }

  @Test
  void noTrialsIsTheWholeRange() {
    assertThat(Wilson.interval(0, 0, 0.95)).containsExactly(0.0, 1.0);
  }

  @Test
  void badArgumentsNamed() {
    assertThatThrownBy(() -> Wilson.interval(5, 3, 0.95)).hasMessageContaining("5 of 3");
    assertThatThrownBy(() -> Wilson.z(1.0)).hasMessageContaining("confidence");
  }
}
