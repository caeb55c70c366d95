package dev.shadowparity.ledger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a failure once per endpoint, stage and exception class, with its stack trace; repeats of it at most once a
 * minute, as a count, without one. A broken comparison met by every request would otherwise write a stack trace
 * per request. Bounded: past {@link #MAX_KEYS} distinct kinds, further ones share one key.
 */
public final class ProblemLog {

  static final int MAX_KEYS = 1024;
  private static final long REPEAT_NANOS = 60_000_000_000L;

  private final Logger log;
  private final ConcurrentHashMap<String, Entry> seen = new ConcurrentHashMap<>();

  private static final class Entry {
    final AtomicLong lastLogged;
    final AtomicLong suppressed = new AtomicLong();

    Entry(long now) {
      this.lastLogged = new AtomicLong(now);
    }
  }

  public ProblemLog(Logger log) {
    this.log = log;
  }

  /**
   * As {@link #failed(String, String, Throwable, String)}, for a failure that is not the tap's own (a backend that
   * does not answer): no stack trace, only the kind and its message.
   */
  public void noted(String endpoint, String stage, String kind, String message, String what) {
    long repeats = count(endpoint + '\u0000' + stage + '\u0000' + kind, stage);
    if (repeats == 0) {
      log.warn("{} of {}: {} ({}); {}. Repeats are counted and logged at most once a minute", stage, endpoint, kind,
          message, what);
    } else if (repeats > 0) {
      log.warn("{} of {}: {} {} more time(s) since last logged, latest: {}", stage, endpoint, kind, repeats, message);
    }
  }

  /** Logs (or counts) one failure of {@code stage} for {@code endpoint}; {@code what} says what was done instead. */
  public void failed(String endpoint, String stage, Throwable e, String what) {
    long repeats = count(endpoint + '\u0000' + stage + '\u0000' + e.getClass().getName(), stage);
    if (repeats == 0) {
      log.warn("{} of {} failed: {}; {}. Further failures of this kind are counted and logged at most once a minute",
          stage, endpoint, e.toString(), what, e);
    } else if (repeats > 0) {
      log.warn("{} of {} failed {} more time(s) since last logged, latest: {}; {}", stage, endpoint, repeats, e.toString(),
          what);
    }
  }

  /**
   * Counts one occurrence of a kind: 0 when it is the first (log it whole), the occurrences since the last line when
   * a minute has passed since (log them), -1 otherwise (only counted).
   */
  private long count(String key, String stage) {
    long now = System.nanoTime();
    if (seen.size() >= MAX_KEYS && !seen.containsKey(key)) {
      key = "(other)" + '\u0000' + stage;
    }
    boolean[] first = {false};
    Entry entry = seen.computeIfAbsent(key, k -> {
      first[0] = true;
      return new Entry(now);
    });
    if (first[0]) {
      return 0;
    }
    long last = entry.lastLogged.get();
    if (now - last >= REPEAT_NANOS && entry.lastLogged.compareAndSet(last, now)) {
      return entry.suppressed.getAndSet(0) + 1;
    }
    entry.suppressed.incrementAndGet();
    return -1;
  }
}
