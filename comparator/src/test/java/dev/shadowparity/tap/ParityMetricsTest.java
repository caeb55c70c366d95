package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.report.EndpointReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.junit.jupiter.api.Test;

class ParityMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ParityEngine engine = new ParityEngine(ConfigLoader.parse("", "test"));
  private final ParityMetrics metrics = new ParityMetrics(registry, engine.ledger(), 10);

  {
    engine.addListener(metrics);
  }

  private Collection<FunctionCounter> errors(String endpoint, String backend) {
    return registry.find("parity.backend.errors").tag("endpoint", endpoint).tag("backend", backend).functionCounters();
  }

  private double exchanges(String endpoint, String outcome) {
    return registry.get("parity.exchanges").tags("endpoint", endpoint, "outcome", outcome).functionCounter().count();
  }

  private static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8),
        1_000_000);
  }

  @Test
  void backendErrors_existAtZeroForEveryBackendAndKind_asSoonAsTheEndpointIsSeen() {
    engine.skip("GET /api/ping", SkipReason.SAMPLED_OUT);

    for (String backend : new String[] {"old", "new"}) {
      assertThat(errors("GET /api/ping", backend)).hasSize(BackendFailure.Kind.values().length)
          .allSatisfy(c -> assertThat(c.count()).isZero());
    }
    assertThat(errors("GET /never-seen", "new")).isEmpty();
  }

  @Test
  void backendErrors_countUnderTheirBackendAndKind_mirroredOrNot() {
    RecordedRequest req = RecordedRequest.get("/api/flaky");
    engine.process(new Exchange(req, json("{}"), new BackendFailure(BackendFailure.Kind.RESET, "reset", 1)));
    engine.process(new Exchange(req, json("{}"), new BackendFailure(BackendFailure.Kind.RESET, "reset", 1)));
    engine.skip("GET /api/flaky", SkipReason.UNSAFE_METHOD);
    engine.oldFailed("GET /api/flaky", BackendFailure.Kind.TIMEOUT);

    assertThat(registry.get("parity.backend.errors").tags("endpoint", "GET /api/flaky", "backend", "new", "kind", "reset")
        .functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("parity.backend.errors").tags("endpoint", "GET /api/flaky", "backend", "old", "kind", "timeout")
        .functionCounter().count()).isEqualTo(1);
    assertThat(errors("GET /api/flaky", "new").stream().mapToDouble(FunctionCounter::count).sum()).isEqualTo(2);
  }

  @Test
  void exchangeCounters_readTheLedger_soTheyAreTheReportsCounts() {
    RecordedRequest req = RecordedRequest.get("/api/a");
    for (int i = 0; i < 7; i++) {
      engine.process(new Exchange(req, json("{\"a\":1}"), json(i < 3 ? "{\"a\":2}" : "{\"a\":1}")));
    }
    engine.process(new Exchange(req, json("{}"), new BackendFailure(BackendFailure.Kind.TIMEOUT, "slow", 1)));
    engine.skip("GET /api/a", SkipReason.OVERLOAD);

    EndpointReport e = engine.ledger().report().endpoint("GET /api/a");
    assertThat(exchanges("GET /api/a", "match")).isEqualTo(e.matched()).isEqualTo(4);
    assertThat(exchanges("GET /api/a", "mismatch")).isEqualTo(e.mismatched()).isEqualTo(3);
    assertThat(exchanges("GET /api/a", "error")).isEqualTo(e.errors()).isEqualTo(1);
    assertThat(exchanges("GET /api/a", "skipped")).isEqualTo(1);
    assertThat(registry.get("parity.skipped").tags("endpoint", "GET /api/a", "reason", "overload").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("parity.mismatch.fields").tags("endpoint", "GET /api/a", "field", "/a").counter().count())
        .isEqualTo(3);
    assertThat(registry.get("parity.backend.latency").tags("endpoint", "GET /api/a", "backend", "new").timer().count())
        .isEqualTo(8);
  }

  /** A tap restarted on its store: the report has the stored counts, the counters start at 0 with the process. */
  @Test
  void countsLoadedFromAStore_areInTheReport_butTheCountersStartAtZero() {
    ParityEngine before = new ParityEngine(ConfigLoader.parse("", "test"));
    for (int i = 0; i < 4; i++) {
      before.process(new Exchange(RecordedRequest.get("/api/c"), json("1"), json("2")));
    }
    ParityEngine after = new ParityEngine(ConfigLoader.parse("", "test"));
    before.ledger().exportCounts((endpoint, family, key, value) -> after.ledger().loadCount(endpoint, family, key, value));
    SimpleMeterRegistry fresh = new SimpleMeterRegistry();
    ParityMetrics restarted = new ParityMetrics(fresh, after.ledger(), 10);
    after.addListener(restarted);
    after.process(new Exchange(RecordedRequest.get("/api/c"), json("1"), json("2")));
    assertThat(after.ledger().report().endpoint("GET /api/c").mismatched()).isEqualTo(5);
    assertThat(fresh.get("parity.exchanges").tags("endpoint", "GET /api/c", "outcome", "mismatch").functionCounter().count())
        .isEqualTo(1);
    after.reset();
    after.process(new Exchange(RecordedRequest.get("/api/c"), json("1"), json("2")));
    assertThat(fresh.get("parity.exchanges").tags("endpoint", "GET /api/c", "outcome", "mismatch").functionCounter().count())
        .as("a new period counts from 0 again").isEqualTo(1);
  }

  @Test
  void aNewEvidencePeriodStartsTheCountersAtZero_asACounterResetPrometheusUnderstands() {
    engine.process(new Exchange(RecordedRequest.get("/api/b"), json("1"), json("2")));
    assertThat(exchanges("GET /api/b", "mismatch")).isEqualTo(1);
    engine.reset();
    assertThat(exchanges("GET /api/b", "mismatch")).isZero();
  }
}
