package dev.shadowparity.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.config.VerdictConfig;
import org.junit.jupiter.api.Test;

class GateTest {

  /** A bound just under the allowed rate is written with the digits that show it is under. */
  @Test
  void aBoundCloseToTheAllowedRate_isWrittenSoItReadsAsUnder() {
    EndpointReport.Judged j = new EndpointReport.Judged(580, 0, 0, 0, 0.0099946, Verdict.PROVEN, null);
    assertThat(Gate.why(j, VerdictConfig.DEFAULTS, false)).endsWith("the upper bound 0.999% is under the allowed 1.00%");
    EndpointReport.Judged far = new EndpointReport.Judged(1000, 0, 0, 0, 0.0051, Verdict.PROVEN, null);
    assertThat(Gate.why(far, VerdictConfig.DEFAULTS, false)).endsWith("the upper bound 0.51% is under the allowed 1.00%");
  }
}
