package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.NappingWorkers;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.tap.ParityMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs comparisons off the event loop on {@link NappingWorkers} (fixed threads, bounded queue, no wake-up per
 * submission). When the queue is full the exchange is dropped and counted as {@code overload}: the tap never
 * queues without limit.
 */
public final class ComparePool {

  private static final Logger LOG = LoggerFactory.getLogger(ComparePool.class);

  private final ParityEngine engine;
  private final ParityMetrics metrics;
  private final CaptureWriter capture;
  private final NappingWorkers workers;

  public ComparePool(ParityEngine engine, ParityMetrics metrics, CaptureWriter capture, int threads, int queue) {
    this.engine = engine;
    this.metrics = metrics;
    this.capture = capture;
    this.workers = new NappingWorkers("parity-compare", threads, queue);
  }

  /** A queued comparison; {@code done} runs once the exchange is no longer held. */
  private final class Task implements Runnable {
    final String endpoint;
    final Exchange exchange;
    final Runnable done;

    Task(String endpoint, Exchange exchange, Runnable done) {
      this.endpoint = endpoint;
      this.exchange = exchange;
      this.done = done;
    }

    @Override
    public void run() {
      try {
        ComparePool.this.run(endpoint, exchange);
      } finally {
        done.run();
      }
    }

    void reject() {
      done.run();
      engine.skip(endpoint, SkipReason.OVERLOAD);
      metrics.skipped(endpoint, SkipReason.OVERLOAD);
    }
  }

  /**
   * Queues the comparison; returns false (and records an overload skip) when the pool is full or shut down.
   * {@code done} runs once the exchange is no longer held (compared, or rejected).
   */
  public boolean submit(String endpoint, Exchange exchange, Runnable done) {
    Task task = new Task(endpoint, exchange, done);
    if (workers.offer(task)) {
      return true;
    }
    task.reject();
    return false;
  }

  private void run(String endpoint, Exchange exchange) {
    try {
      ParityEngine.Outcome outcome = engine.process(endpoint, exchange);
      metrics.outcome(endpoint, outcome.kind());
      metrics.latency(endpoint, "old", exchange.oldResult().latencyNanos());
      metrics.latency(endpoint, "new", exchange.newResult().latencyNanos());
      if (exchange.oldResult() instanceof BackendFailure f) {
        metrics.backendError(endpoint, "old", f.kind());
      } else if (exchange.newResult() instanceof BackendFailure f) {
        metrics.backendError(endpoint, "new", f.kind());
      }
      if (outcome.comparison() != null) {
        for (String field : outcome.comparison().fields()) {
          metrics.mismatchedField(endpoint, field);
        }
        if (capture != null) {
          capture.append(endpoint, exchange);
        }
      }
    } catch (RuntimeException e) {
      // A bug in the comparison must never reach the proxy; it is logged with the request that caused it.
      LOG.error("comparison of {} failed", exchange.request(), e);
    }
  }

  public int queued() {
    return workers.queued();
  }

  public int active() {
    return workers.active();
  }

  /**
   * Stops taking submissions and finishes the queued comparisons, waiting at most {@code millis}; returns
   * whether all finished. Any left (or racing the shutdown) are counted as overload.
   */
  public boolean drain(long millis) throws InterruptedException {
    return workers.shutdown(millis, task -> ((Task) task).reject());
  }
}
