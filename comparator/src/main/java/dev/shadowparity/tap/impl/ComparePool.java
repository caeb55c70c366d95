package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.tap.ParityMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs comparisons off the event loop on a fixed pool with a bounded queue. When the queue is full the
 * exchange is dropped and counted as {@code overload}: the tap never queues without limit.
 */
public final class ComparePool {

  private static final Logger LOG = LoggerFactory.getLogger(ComparePool.class);

  private final ParityEngine engine;
  private final ParityMetrics metrics;
  private final CaptureWriter capture;
  private final ThreadPoolExecutor pool;

  public ComparePool(ParityEngine engine, ParityMetrics metrics, CaptureWriter capture, int threads, int queue) {
    this.engine = engine;
    this.metrics = metrics;
    this.capture = capture;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
      Thread t = new Thread(r, "parity-compare-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Queues the comparison; returns false (and records an overload skip) when the pool is full.
   * {@code done} runs once the exchange is no longer held (compared, or rejected).
   */
  public boolean submit(String endpoint, Exchange exchange, Runnable done) {
    try {
      pool.execute(() -> {
        try {
          run(endpoint, exchange);
        } finally {
          done.run();
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      done.run();
      engine.skip(endpoint, SkipReason.OVERLOAD);
      metrics.skipped(endpoint, SkipReason.OVERLOAD);
      return false;
    }
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
    return pool.getQueue().size();
  }

  public int active() {
    return pool.getActiveCount();
  }

  /** Finishes queued comparisons, waiting at most {@code millis}; returns whether all finished. */
  public boolean drain(long millis) throws InterruptedException {
    pool.shutdown();
    return pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
  }
}
