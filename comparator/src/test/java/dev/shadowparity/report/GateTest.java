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

  /**
   * Names given before a learned {name} took their place get no more requests: the default gate checks the learned
   * endpoint, not them (they could never be proven), and says so; a named one is still checked.
   */
  @Test
  void endpointsSupersededByALearnedName_areNotCheckedByDefault() {
    dev.shadowparity.ParityEngine engine = new dev.shadowparity.ParityEngine(dev.shadowparity.config.ConfigLoader.parse(
        "limits: {slug-threshold: 3}\n", "t"));
    for (int i = 0; i < 700; i++) {
      String slug = "post-" + (char) ('a' + i % 26) + (char) ('a' + (i / 26) % 26);
      engine.process(new dev.shadowparity.engine.Exchange(dev.shadowparity.engine.RecordedRequest.get("/blog/" + slug),
          json(), json()));
    }
    Report r = engine.report();
    assertThat(r.endpoint("GET /blog/{name}").verdict()).isEqualTo(Verdict.PROVEN);
    assertThat(r.endpoint("GET /blog/post-aa").verdict()).isEqualTo(Verdict.UNPROVEN);
    Gate.Result all = Gate.evaluate(r, java.util.List.of(), VerdictConfig.DEFAULTS);
    assertThat(all.passed()).isTrue();
    assertThat(all.superseded()).containsEntry("GET /blog/post-aa", "GET /blog/{name}").hasSize(3);
    assertThat(Gate.evaluate(r, java.util.List.of("GET /blog/post-aa"), VerdictConfig.DEFAULTS).passed()).isFalse();
    assertThat(Gate.supersededBy("GET /blog/{id}", r.endpoints())).isNull();
    assertThat(Gate.supersededBy("POST /blog/post-aa", r.endpoints())).isNull();
    assertThat(Gate.supersededBy("GET /blog/post-aa/comments", r.endpoints())).isNull();
  }

  private static dev.shadowparity.engine.RecordedResponse json() {
    return new dev.shadowparity.engine.RecordedResponse(200, dev.shadowparity.engine.Headers.of("Content-Type", "application/json"),
        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1_000_000);
  }
}
