package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.SkipReason;
import dev.shadowparity.tap.ParityMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs comparisons off the event loop on a fixed set of threads with a bounded queue. When the queue is full
 * the exchange is dropped and counted as {@code overload}: the tap never queues without limit.
 *
 * <p>Producers (the event loops) never wake a worker. A worker that finds the queue empty naps for
 * {@link #NAP_NANOS} and looks again, so under load each worker wakes about a thousand times a second
 * and takes whatever queued meanwhile, instead of being signalled once per exchange (a futex wake-up and
 * often a preemption of the event loop that submitted it). After {@link #IDLE_NAPS} empty naps in a row
 * a worker waits on the queue to be signalled by the next submission, so an idle tap costs next to nothing. Comparisons are
 * not latency sensitive; the client's response is never behind them.
 */
public final class ComparePool {

  private static final Logger LOG = LoggerFactory.getLogger(ComparePool.class);
  static final long NAP_NANOS = 1_000_000L;
  static final int IDLE_NAPS = 200;
  private static final long IDLE_POLL_MILLIS = 50;

  private final ParityEngine engine;
  private final ParityMetrics metrics;
  private final CaptureWriter capture;
  private final ArrayBlockingQueue<Task> queue;
  private final Thread[] workers;
  private final AtomicInteger active = new AtomicInteger();
  private final CountDownLatch finished;
  private volatile boolean shutdown;

  private record Task(String endpoint, Exchange exchange, Runnable done) {
  }

  public ComparePool(ParityEngine engine, ParityMetrics metrics, CaptureWriter capture, int threads, int queue) {
    this.engine = engine;
    this.metrics = metrics;
    this.capture = capture;
    this.queue = new ArrayBlockingQueue<>(queue);
    this.workers = new Thread[threads];
    this.finished = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::work, "parity-compare-" + (i + 1));
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  /**
   * Queues the comparison; returns false (and records an overload skip) when the pool is full or shut down.
   * {@code done} runs once the exchange is no longer held (compared, or rejected).
   */
  public boolean submit(String endpoint, Exchange exchange, Runnable done) {
    if (!shutdown && queue.offer(new Task(endpoint, exchange, done))) {
      return true;
    }
    done.run();
    engine.skip(endpoint, SkipReason.OVERLOAD);
    metrics.skipped(endpoint, SkipReason.OVERLOAD);
    return false;
  }

  private void work() {
    try {
      int emptyNaps = 0;
      while (true) {
        Task task = queue.poll();
        if (task == null) {
          if (shutdown) {
            return;
          }
          if (emptyNaps < IDLE_NAPS) {
            emptyNaps++;
            LockSupport.parkNanos(NAP_NANOS);
            continue;
          }
          // idle: wait to be signalled by the next submission, looking at the shutdown flag now and then
          task = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (task == null) {
            continue;
          }
        }
        emptyNaps = 0;
        active.incrementAndGet();
        try {
          run(task.endpoint(), task.exchange());
        } finally {
          active.decrementAndGet();
          task.done().run();
        }
      }
    } catch (InterruptedException e) {
      LOG.warn("comparison worker interrupted; {} queued comparisons left to the others", queue.size());
      Thread.currentThread().interrupt();
    } finally {
      finished.countDown();
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
    return queue.size();
  }

  public int active() {
    return active.get();
  }

  /**
   * Stops taking submissions and finishes the queued comparisons, waiting at most {@code millis}; returns
   * whether all finished.
   */
  public boolean drain(long millis) throws InterruptedException {
    shutdown = true;
    boolean done = finished.await(millis, TimeUnit.MILLISECONDS);
    // a submission that raced with the shutdown flag, or one the workers had no time left for
    for (Task task; (task = queue.poll()) != null; ) {
      task.done().run();
      engine.skip(task.endpoint(), SkipReason.OVERLOAD);
      metrics.skipped(task.endpoint(), SkipReason.OVERLOAD);
    }
    return done;
  }
}
