package dev.shadowparity.concurrent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * At most {@code max} operations in flight, for ONE producing thread that starts them and any threads that
 * finish them. A producer that finds the window full sleeps until it has drained to {@code low}, so it is
 * woken once per {@code max - low} completions rather than once per completion as with a semaphore.
 */
public final class Window {

  private final int max;
  private final int low;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Thread waiter;

  /** A window of {@code max}, waking a waiting producer when an eighth of it is free. */
  public Window(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.low = max - Math.max(1, max / 8);
  }

  /** Takes a place, waiting while the window is full. Call from the producing thread only. */
  public void acquire() throws InterruptedException {
    if (inFlight.get() >= max) {
      awaitAtMost(low);
    }
    inFlight.incrementAndGet();
  }

  /** Gives a place back; wakes the producer once enough are free. Any thread. */
  public void release() {
    int n = inFlight.decrementAndGet();
    if (n <= low) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /** Waits until nothing is in flight. Call from the producing thread only. */
  public void awaitEmpty() throws InterruptedException {
    awaitAtMost(0);
  }

  public int inFlight() {
    return inFlight.get();
  }

  private void awaitAtMost(int level) throws InterruptedException {
    waiter = Thread.currentThread();
    try {
      while (inFlight.get() > level) {
        // a release after the check unparks us (park returns at once); the timeout only bounds a lost race
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      waiter = null;
    }
  }
}
