package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.NappingWorkers;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.ledger.SkipReason;
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
  private final NappingWorkers workers;
  /** The tap's byte budget, also asked for a comparison's working memory; null: not asked. */
  private final ByteBudget budget;

  /**
   * Bytes a comparison holds while it runs, per byte of the bodies it compares: a JSON body becomes a tree of
   * nodes several times its size (and a decoded copy besides). Reserved from the byte budget before the
   * comparison starts, so that large bodies are skipped as {@code overload} instead of filling the heap:
   * before this, two 7 MB JSON answers per request at 8 connections ran a 384 MB tap out of memory, on its
   * event loop, and serial-GC pauses of 9.5 s in 14 s slowed the clients twentyfold.
   */
  public static final int WORKING_BYTES_PER_BODY_BYTE = 10;

  public ComparePool(ParityEngine engine, int threads, int queue) {
    this(engine, threads, queue, null);
  }

  /** Outcomes go through {@code engine}, the one recording path, which tells its listeners (metrics, capture). */
  public ComparePool(ParityEngine engine, int threads, int queue, ByteBudget budget) {
    this.engine = engine;
    this.budget = budget;
    this.workers = new NappingWorkers("parity-compare", threads, queue);
  }

  /** What a comparison of this exchange is reserved for: {@link #workingBytes(long)} of its bodies' length. */
  static long workingBytes(Exchange exchange) {
    return workingBytes(bodyLength(exchange.oldResult()) + bodyLength(exchange.newResult())
        + bodyLength(exchange.secondaryOld()));
  }

  /** What comparing bodies of {@code bodyBytes} in all holds: {@link #WORKING_BYTES_PER_BODY_BYTE} per byte. */
  static long workingBytes(long bodyBytes) {
    return bodyBytes * WORKING_BYTES_PER_BODY_BYTE;
  }

  private static long bodyLength(BackendResult r) {
    return r instanceof RecordedResponse rr && rr.body() != null ? rr.body().length : 0;
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
      long working = budget == null ? 0 : workingBytes(exchange);
      if (working > 0 && !budget.tryReserve(working)) {
        LOG.debug("comparison of {} skipped as overload: {} bytes of working memory do not fit the byte budget",
            endpoint, working);
        reject();
        return;
      }
      try {
        engine.process(endpoint, exchange); // never throws for the exchange: a failure is its recorded outcome
      } finally {
        if (working > 0) {
          budget.release(working);
        }
        done.run();
      }
    }

    void reject() {
      done.run();
      engine.skip(endpoint, SkipReason.OVERLOAD);
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
