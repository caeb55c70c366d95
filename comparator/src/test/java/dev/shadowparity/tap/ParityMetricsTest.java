package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.engine.BackendFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import org.junit.jupiter.api.Test;

class ParityMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ParityMetrics metrics = new ParityMetrics(registry, 10);

  private Collection<Counter> errors(String endpoint, String backend) {
    return registry.find("parity.backend.errors").tag("endpoint", endpoint).tag("backend", backend).counters();
  }

  @Test
  void backendErrors_existAtZeroForEveryBackendAndKind_asSoonAsTheEndpointIsSeen() {
    metrics.outcome("GET /api/ping", ParityEngine.Kind.MATCH);

    for (String backend : new String[] {"old", "new"}) {
      assertThat(errors("GET /api/ping", backend)).hasSize(BackendFailure.Kind.values().length)
          .allSatisfy(c -> assertThat(c.count()).isZero());
    }
    assertThat(errors("GET /never-seen", "new")).isEmpty();
  }

  @Test
  void backendError_countsUnderItsBackendAndKindOnly() {
    metrics.backendError("GET /api/flaky", "new", BackendFailure.Kind.RESET);
    metrics.backendError("GET /api/flaky", "new", BackendFailure.Kind.RESET);
    metrics.backendError("GET /api/flaky", "old", BackendFailure.Kind.TIMEOUT);

    assertThat(registry.get("parity.backend.errors").tags("endpoint", "GET /api/flaky", "backend", "new", "kind", "reset")
        .counter().count()).isEqualTo(2);
    assertThat(registry.get("parity.backend.errors").tags("endpoint", "GET /api/flaky", "backend", "old", "kind", "timeout")
        .counter().count()).isEqualTo(1);
    assertThat(errors("GET /api/flaky", "new").stream().mapToDouble(Counter::count).sum()).isEqualTo(2);
  }

  @Test
  void backendError_rejectsAnUnknownBackend() {
    assertThatThrownBy(() -> metrics.backendError("GET /a", "candidate", BackendFailure.Kind.RESET))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("old or new").hasMessageContaining("candidate");
  }
}
