package dev.shadowparity.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of worker threads over a bounded queue, for CPU work handed over from event loops at a high
 * rate (comparisons). Producers never wake a worker: a worker that finds the queue empty naps for
 * {@link #NAP_NANOS} and looks again, so under load each worker wakes about a thousand times a second and
 * takes whatever queued meanwhile, instead of being signalled once per task (a futex wake-up, and often a
 * preemption of the event loop that submitted it). After {@link #IDLE_NAPS} empty naps in a row a worker
 * waits on the queue to be signalled by the next submission, so an idle process costs next to nothing.
 * Tasks wait at most a nap before they start; use this only where that does not matter.
 */
public final class NappingWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(NappingWorkers.class);
  public static final long NAP_NANOS = 1_000_000L;
  public static final int IDLE_NAPS = 200;
  private static final long IDLE_POLL_MILLIS = 50;

  private final ArrayBlockingQueue<Runnable> queue;
  private final Thread[] workers;
  private final AtomicInteger active = new AtomicInteger();
  /** Offers under way: shutdown waits for them, so that none can slip into the queue after its last look. */
  private final AtomicInteger offering = new AtomicInteger();
  private final CountDownLatch finished;
  private volatile boolean shutdown;

  /**
   * Starts the workers.
   *
   * @param name     thread name prefix ({@code name-1}, {@code name-2}...)
   * @param threads  how many workers
   * @param capacity tasks that may wait; {@link #offer} refuses beyond
   */
  public NappingWorkers(String name, int threads, int capacity) {
    if (threads < 1 || capacity < 1) {
      throw new IllegalArgumentException("threads and capacity must be at least 1: " + threads + ", " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.workers = new Thread[threads];
    this.finished = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::work, name + "-" + (i + 1));
      t.setDaemon(true);
      workers[i] = t;
      t.start();
    }
  }

  /** Queues the task; false when the queue is full or the workers are shutting down. */
  public boolean offer(Runnable task) {
    offering.incrementAndGet();
    try {
      return !shutdown && queue.offer(task);
    } finally {
      offering.decrementAndGet();
    }
  }

  private void work() {
    try {
      int emptyNaps = 0;
      while (true) {
        Runnable task = queue.poll();
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
          task.run();
        } catch (RuntimeException | StackOverflowError e) {
          // the worker goes on: a task that fails must not take the pool's capacity with it
          LOG.error("task failed on {}", Thread.currentThread().getName(), e);
        } finally {
          active.decrementAndGet();
        }
      }
    } catch (InterruptedException e) {
      LOG.warn("worker interrupted; {} queued tasks left to the others", queue.size());
      Thread.currentThread().interrupt();
    } finally {
      finished.countDown();
    }
  }

  public int queued() {
    return queue.size();
  }

  public int active() {
    return active.get();
  }

  /**
   * Stops taking tasks, lets the workers finish the queue for at most {@code millis}, and returns whether they
   * did; tasks still queued then are removed and returned to {@code leftover}.
   */
  public boolean shutdown(long millis, java.util.function.Consumer<Runnable> leftover) throws InterruptedException {
    shutdown = true;
    while (offering.get() > 0) {
      Thread.onSpinWait(); // an offer that read the flag before it was set is a few instructions from done
    }
    boolean done = finished.await(millis, TimeUnit.MILLISECONDS);
    for (Runnable task; (task = queue.poll()) != null; ) {
      leftover.accept(task);
    }
    return done;
  }
}
