package dev.shadowparity.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WindowTest {

  @Test
  void neverMoreThanMaxInFlight_andAwaitEmptyWaitsForTheLast() throws Exception {
    Window window = new Window(16);
    NappingWorkers workers = new NappingWorkers("test", 3, 16);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 5_000; i++) {
      window.acquire();
      maxSeen.accumulateAndGet(window.inFlight(), Math::max);
      boolean queued = workers.offer(() -> {
        running.incrementAndGet();
        Thread.onSpinWait();
        running.decrementAndGet();
        done.incrementAndGet();
        window.release();
      });
      assertThat(queued).as("the window keeps the queue from filling").isTrue();
    }
    window.awaitEmpty();
    assertThat(done).hasValue(5_000);
    assertThat(window.inFlight()).isZero();
    assertThat(maxSeen.get()).isLessThanOrEqualTo(16);
    assertThat(workers.shutdown(1_000, t -> { })).isTrue();
    assertThat(workers.offer(() -> { })).as("refused after shutdown").isFalse();
  }
}
