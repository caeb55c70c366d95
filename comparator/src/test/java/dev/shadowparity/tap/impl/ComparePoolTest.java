package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.NappingWorkers;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.report.EndpointReport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ComparePoolTest {

  private final ParityEngine engine = new ParityEngine(ConfigLoader.parse("", "test"));

  private static Exchange exchange(String oldBody, String newBody) {
    Headers json = Headers.of("Content-Type", "application/json");
    return new Exchange(RecordedRequest.get("/a"),
        new RecordedResponse(200, json, oldBody.getBytes(StandardCharsets.UTF_8), 1_000),
        new RecordedResponse(200, json, newBody.getBytes(StandardCharsets.UTF_8), 1_000));
  }

  private EndpointReport report() {
    return engine.ledger().report().endpoints().get(0);
  }

  @Test
  void comparesEverythingSubmittedAndDrainsOnShutdown() throws Exception {
    ComparePool pool = new ComparePool(engine, 2, 1000);
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 500; i++) {
      assertThat(pool.submit("GET /a", exchange("{\"n\":1}", i % 5 == 0 ? "{\"n\":2}" : "{\"n\":1}"), done::incrementAndGet))
          .isTrue();
    }
    assertThat(pool.drain(10_000)).isTrue();
    assertThat(done).hasValue(500);
    assertThat(report().compared()).isEqualTo(500);
    assertThat(report().mismatched()).isEqualTo(100);
    assertThat(pool.queued()).isZero();
    assertThat(pool.active()).isZero();
  }

  @Test
  void fullQueueAndShutdownReject_andCountOverload() throws Exception {
    ComparePool pool = new ComparePool(engine, 1, 2);
    AtomicInteger done = new AtomicInteger();
    int accepted = 0;
    for (int i = 0; i < 200; i++) {
      if (pool.submit("GET /a", exchange("[" + "1,".repeat(20_000) + "1]", "[1]"), done::incrementAndGet)) {
        accepted++;
      }
    }
    assertThat(accepted).isLessThan(200);
    assertThat(pool.drain(10_000)).isTrue();
    assertThat(pool.submit("GET /a", exchange("{}", "{}"), done::incrementAndGet)).isFalse();
    assertThat(done).hasValue(201);
    assertThat(report().compared()).isEqualTo(accepted);
    assertThat(report().skipped().get("overload")).isEqualTo(201 - accepted);
  }

  @Test
  void anIdleWorkerPicksUpANewSubmissionPromptly() throws Exception {
    ComparePool pool = new ComparePool(engine, 1, 10);
    // long enough for the worker to stop napping and wait on the queue
    Thread.sleep(NappingWorkers.IDLE_NAPS * NappingWorkers.NAP_NANOS / 1_000_000 + 300);
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    pool.submit("GET /a", exchange("{}", "{}"), done::incrementAndGet);
    while (done.get() == 0 && System.nanoTime() - start < 5_000_000_000L) {
      Thread.onSpinWait();
    }
    assertThat(done).hasValue(1);
    assertThat(pool.drain(1_000)).isTrue();
  }

  @Test
  void aComparisonWhoseWorkingMemoryDoesNotFitTheBudget_isSkippedAsOverload_andEveryByteIsReleased() throws Exception {
    String small = "{\"n\":1}";
    String big = "[" + "1,".repeat(50_000) + "1]"; // 100 KB: 2 MB of working memory for the pair
    ByteBudget budget = new ByteBudget(1_000_000);
    ComparePool pool = new ComparePool(engine, 1, 10, budget);
    AtomicInteger done = new AtomicInteger();
    assertThat(ComparePool.workingBytes(exchange(big, big)))
        .isEqualTo(2L * big.length() * ComparePool.WORKING_BYTES_PER_BODY_BYTE);
    assertThat(pool.submit("GET /a", exchange(big, big), done::incrementAndGet)).isTrue();
    assertThat(pool.submit("GET /a", exchange(small, small), done::incrementAndGet)).isTrue();
    assertThat(pool.drain(10_000)).isTrue();
    assertThat(done).hasValue(2);
    assertThat(report().compared()).isEqualTo(1);
    assertThat(report().skipped()).containsEntry("overload", 1L);
    assertThat(budget.used()).isZero();
  }

  @Test
  void theDefaultBudgetIsAnEighthOfTheHeap_atMost128MB() {
    long heapEighth = Runtime.getRuntime().maxMemory() / 8;
    assertThat(dev.shadowparity.config.LimitsConfig.defaultMaxBufferedBytes())
        .isEqualTo(Math.min(128L * 1024 * 1024, heapEighth));
    assertThat(ConfigLoader.parse("", "t").limits().maxBufferedBytes())
        .isEqualTo(dev.shadowparity.config.LimitsConfig.defaultMaxBufferedBytes());
  }
}
