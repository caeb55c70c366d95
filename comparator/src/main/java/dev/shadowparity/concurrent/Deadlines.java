package dev.shadowparity.concurrent;

import java.util.function.Consumer;

/**
 * Deadlines that all have the same length, for one thread (an event loop): a list in the order they were
 * started, which is also the order they expire in. Starting and cancelling one is a few pointer moves, with
 * no allocation beyond the entry and no shared map, where a timer per request costs a scheduled task, a
 * priority-queue insertion and removal and an entry in the event loop's timer map. {@link #expire} is called
 * now and then (every {@link #tickMillis}); it fires the entries whose time is up, oldest first, and stops at
 * the first that is not. So a deadline fires between its length and its length plus a tick after it started.
 * Only the entries still running are held: a cancelled one leaves the list at once.
 *
 * @param <T> what an entry carries to the expiry handler
 */
public final class Deadlines<T> {

  /** One running deadline. */
  public static final class Entry<T> {
    private final long dueNanos;
    private T value;
    private Entry<T> prev;
    private Entry<T> next;
    private boolean linked;
    private boolean fired;

    private Entry(long dueNanos, T value) {
      this.dueNanos = dueNanos;
      this.value = value;
    }

    /** Whether the deadline passed (the expiry handler ran for it). */
    public boolean fired() {
      return fired;
    }
  }

  private final long lengthMillis;
  private final long lengthNanos;
  private final Consumer<T> onExpiry;
  private Entry<T> head;
  private Entry<T> tail;
  private int size;

  /**
   * @param lengthMillis how long each deadline runs
   * @param onExpiry     called with the entry's value when its deadline passes, on the thread that calls
   *                     {@link #expire}
   */
  public Deadlines(long lengthMillis, Consumer<T> onExpiry) {
    if (lengthMillis < 1) {
      throw new IllegalArgumentException("a deadline must be at least 1 ms: " + lengthMillis);
    }
    this.lengthMillis = lengthMillis;
    this.lengthNanos = lengthMillis * 1_000_000L;
    this.onExpiry = onExpiry;
  }

  /** How often {@link #expire} should run: a twentieth of the length, between 1 and 100 ms. */
  public static long tickMillis(long lengthMillis) {
    return Math.max(1, Math.min(100, lengthMillis / 20));
  }

  /** Starts a deadline that began at {@code startNanos} ({@link System#nanoTime()}). */
  public Entry<T> start(long startNanos, T value) {
    Entry<T> e = new Entry<>(startNanos + lengthNanos, value);
    e.prev = tail;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
    e.linked = true;
    size++;
    return e;
  }

  /** Ends a deadline before it passed; nothing when it already fired or was cancelled. */
  public void cancel(Entry<T> e) {
    if (e.linked) {
      unlink(e);
    }
  }

  /** Fires, oldest first, every deadline due at {@code nowNanos}; returns how many fired. */
  public int expire(long nowNanos) {
    int n = 0;
    while (head != null && head.dueNanos - nowNanos <= 0) {
      Entry<T> e = head;
      T value = e.value;
      unlink(e);
      e.fired = true;
      n++;
      onExpiry.accept(value);
    }
    return n;
  }

  /** How long each deadline runs, in milliseconds. */
  public long lengthMillis() {
    return lengthMillis;
  }

  /** Deadlines running. */
  public int size() {
    return size;
  }

  private void unlink(Entry<T> e) {
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.value = null;
    e.linked = false;
    size--;
  }
}
