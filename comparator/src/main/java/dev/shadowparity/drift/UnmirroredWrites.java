package dev.shadowparity.drift;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Recent writes that reached OLD and not NEW: the unsafe requests the tap does not mirror (and the unsafe records a
 * replay skips). Each one changed OLD's data and not NEW's, so a later read of the same resource may differ for
 * that reason alone; {@link #explain} names the write a mismatching read most likely owes its difference to.
 *
 * <p>A write to a path changes a read of the same path, of a path above it ({@code PUT /users/7} changes the list
 * at {@code /users}) and, unless it is a {@code POST}, of a path below it ({@code DELETE /users/7} empties
 * {@code /users/7/posts}). A {@code POST} to a collection creates a new member and leaves the others as they were:
 * it explains a read below it only when the two answers differ in status ({@code POST /users} made {@code /users/8},
 * which NEW answers 404). The root is nobody's ancestor: a write to {@code /} explains only a read of {@code /}. Queries are left out of both. Writes OLD refused (4xx, 5xx) changed nothing and are
 * not kept. Bounded: the latest write per path and per ancestor path (its eight nearest), at most {@code maxPaths}
 * of each (Caffeine's size eviction decides which go), paths cut at 256 characters. Thread-safe and non-blocking
 * (the tap calls it on its event loop).
 */
public final class UnmirroredWrites {

  /** Paths kept, per table, by default: with {@link #MAX_PATH_CHARS}, a few MiB at most. */
  public static final int DEFAULT_MAX_PATHS = 4096;
  /** Longest path kept; longer ones are cut (the explanation stays, the prefix still relates). */
  static final int MAX_PATH_CHARS = 256;
  /** Ancestors a write is filed under, nearest first: a deep path does not flush the table. */
  static final int MAX_ANCESTORS = 8;
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  /**
   * One write sent to OLD only. {@code path} is as the client sent it, without its query; {@code seq} orders the
   * writes ({@link #sequence()}).
   */
  public record Write(String method, String path, int status, Instant at, long seq) {}

  private final Cache<String, Write> atPath;
  private final Cache<String, Write> belowPath;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

  public UnmirroredWrites(int maxPaths, Clock clock) {
    if (maxPaths <= 0) {
      throw new IllegalArgumentException("paths kept must be positive: " + maxPaths);
    }
    this.atPath = Caffeine.newBuilder().maximumSize(maxPaths).build();
    this.belowPath = Caffeine.newBuilder().maximumSize(maxPaths).build();
    this.clock = clock;
  }

  /** Whether a method only reads (what a write can explain a difference of). */
  public static boolean reads(String method) {
    return SAFE.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * Remembers that OLD answered {@code status} to a write NEW never got; a refused write (4xx, 5xx) is not kept.
   *
   * @param at when it was made ({@code null}: now), as the explanation shows it
   */
  public void remember(String method, String uri, int status, Instant at) {
    if (status >= 400 || reads(method)) {
      return;
    }
    String path = path(uri);
    Write w = new Write(method.toUpperCase(Locale.ROOT), path, status, at == null ? clock.instant() : at,
        sequence.incrementAndGet());
    atPath.put(path, w);
    int filed = 0;
    for (int slash = path.lastIndexOf('/'); slash > 0 && filed < MAX_ANCESTORS; slash = path.lastIndexOf('/', slash - 1)) {
      belowPath.put(path.substring(0, slash), w);
      filed++;
    }
  }

  /**
   * The latest remembered write that explains a mismatching read of {@code uri} ({@code null} when none): at its
   * path, below it, or above it (a {@code POST} above it only when {@code statusesDiffer}), and made before the read
   * was sent (its sequence at most {@code sentAfter}, the {@link #sequence()} then): a later write cannot explain it.
   * Only the latest write per path is kept, so a later one there hides an earlier one: no explanation, never a wrong
   * one.
   */
  public Write explain(String method, String uri, boolean statusesDiffer, long sentAfter) {
    Write w = reads(method) ? latestRelated(path(uri), statusesDiffer) : null;
    return w == null || w.seq() > sentAfter ? null : w;
  }

  /**
   * The latest remembered write that changed what a read of {@code uri} answers ({@code null} when none): two answers
   * of OLD to the same read with such a write between them answer two states of the data, not one.
   */
  public Write changed(String method, String uri) {
    return reads(method) ? latestRelated(path(uri), false) : null;
  }

  private Write latestRelated(String path, boolean postsAbove) {
    Write best = latest(atPath.getIfPresent(path), belowPath.getIfPresent(path));
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      Write above = atPath.getIfPresent(path.substring(0, slash));
      if (above != null && (postsAbove || !above.method().equals("POST"))) {
        best = latest(best, above);
      }
    }
    return best;
  }

  /** The sequence number of the latest write remembered (0 before any): a write after a moment has a greater one. */
  public long sequence() {
    return sequence.get();
  }

  /** Paths held, in both tables (for tests of the bound; Caffeine evicts soon after the bound is passed). */
  long size() {
    atPath.cleanUp();
    belowPath.cleanUp();
    return atPath.estimatedSize() + belowPath.estimatedSize();
  }

  /** Forgets every write: a new evidence period (the data may have been synchronised in between). */
  public void reset() {
    atPath.invalidateAll();
    belowPath.invalidateAll();
  }

  private static Write latest(Write a, Write b) {
    if (a == null) {
      return b;
    }
    return b == null || b.seq() <= a.seq() ? a : b;
  }

  /** The path without query or fragment, without a trailing slash (but {@code /} itself), at most 1,024 characters. */
  static String path(String uri) {
    int end = uri.length();
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String p = uri.substring(0, Math.min(end, MAX_PATH_CHARS));
    if (!p.startsWith("/")) {
      int scheme = p.indexOf("://");
      int slash = scheme < 0 ? -1 : p.indexOf('/', scheme + 3);
      p = slash < 0 ? "/" : p.substring(slash);
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
