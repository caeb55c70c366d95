package dev.shadowparity.concurrent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request and response copies the tap may hold at once, in flight and queued for
 * comparison together. A copy that does not fit is dropped (the exchange counts as overload), so memory
 * stays bounded whatever the traffic.
 */
public final class ByteBudget {

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public ByteBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code n} bytes if they fit; false (and nothing taken) otherwise. */
  public boolean tryReserve(long n) {
    while (true) {
      long u = used.get();
      if (u + n > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + n)) {
        return true;
      }
    }
  }

  public void release(long n) {
    used.addAndGet(-n);
  }

  public long limit() {
    return limit;
  }

  public long used() {
    return used.get();
  }
}
