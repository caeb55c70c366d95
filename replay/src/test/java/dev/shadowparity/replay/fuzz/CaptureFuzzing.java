package dev.shadowparity.replay.fuzz;

import dev.shadowparity.replay.CaptureFiles;
import dev.shadowparity.replay.CaptureFormat;
import dev.shadowparity.replay.CaptureItem;
import dev.shadowparity.replay.CaptureReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * One fuzz input as a capture file, read to its end through {@link CaptureFiles#open}, with what every capture reader
 * must do: open it or refuse it with an IOException naming it (a file unreadable from its first bytes), never throw out
 * of {@code next()} (a bad record is a {@link CaptureItem.Corrupt} item), reach the end (no
 * more items than bytes), hold nothing over its cap (a body within a small multiple of {@code max-record-bytes}, a
 * problem text short enough to print), and allocate a bounded number of bytes for one input.
 */
final class CaptureFuzzing {

  /** Largest input looked at (libFuzzer's -max_len in the fuzz profile is the same). */
  static final int MAX_INPUT = 64 * 1024;
  /** {@code limits.max-record-bytes} while fuzzing: small, so that records over it are common. */
  static final int MAX_RECORD = 16 * 1024;
  /** Bytes of a body made from a record: HAR text re-encoded in a charset of up to 4 bytes a character, say. */
  static final long MAX_BODY = 8L * MAX_RECORD + 64;
  /** Characters of a problem: it is printed, logged and kept in the report. */
  static final int MAX_PROBLEM = 1024;
  static final long ALLOCATION_BUDGET = 64L * 1024 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static Path file;

  private CaptureFuzzing() {}

  /** Reads the input as a capture file of the given format (or of the format told from its first bytes, if null). */
  static void readAll(byte[] input, CaptureFormat format) {
    if (input.length > MAX_INPUT) {
      return;
    }
    Path f = file();
    try {
      Files.write(f, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long used = readOnce(f, input, format);
    if (used > ALLOCATION_BUDGET) {
      // the first use of a class loads (and, under Jazzer, instruments) it on this thread: measure again
      used = readOnce(f, input, format);
      check(used <= ALLOCATION_BUDGET, "one input allocated " + used + " bytes, over " + ALLOCATION_BUDGET, input);
    }
  }

  /** Reads the file to its end with every check; returns the bytes this thread allocated meanwhile. */
  private static long readOnce(Path f, byte[] input, CaptureFormat format) {
    long start = THREADS.getCurrentThreadAllocatedBytes();
    CaptureReader reader;
    try {
      reader = CaptureFiles.open(f, format, MAX_RECORD);
    } catch (CaptureFiles.UnknownFormatException e) {
      check(format == null, "an unknown format although one was named", input);
      return THREADS.getCurrentThreadAllocatedBytes() - start;
    } catch (IOException e) {
      // documented: a file that cannot be read at all (say, a gzip header with an unknown method) is refused up front,
      // with its name and a short reason
      check(e.getMessage() != null && e.getMessage().startsWith(f.toString())
          && e.getMessage().length() <= f.toString().length() + MAX_PROBLEM, "open failed without a short reason", input);
      return THREADS.getCurrentThreadAllocatedBytes() - start;
    } catch (RuntimeException e) {
      throw failure("open threw", input, e);
    }
    try (reader) {
      long items = 0;
      while (true) {
        CaptureItem item;
        try {
          item = reader.next();
        } catch (RuntimeException | StackOverflowError e) {
          throw failure("next() threw after " + items + " items", input, e);
        }
        if (item == null) {
          break;
        }
        items++;
        check(items <= input.length + 2L, "more items than bytes: next() does not reach the end", input);
        check(item.position() != null && !item.position().isEmpty(), "an item without a position", input);
        if (item instanceof CaptureItem.Captured c) {
          check(c.request() != null, "a captured item without a request", input);
          check(c.request().body().length <= MAX_BODY, "a request body of " + c.request().body().length + " bytes",
              input);
          check(c.recordedOld() == null || c.recordedOld().body().length <= MAX_BODY,
              "a recorded body of " + (c.recordedOld() == null ? 0 : c.recordedOld().body().length) + " bytes", input);
        } else if (item instanceof CaptureItem.Corrupt c) {
          check(c.problem() != null && !c.problem().isEmpty(), "a corrupt item without a problem", input);
          if (c.problem().length() > MAX_PROBLEM) {
            throw failure("a problem of " + c.problem().length() + " characters: " + c.problem().substring(0, 200)
                + "...", input, null);
          }
        } else if (item instanceof CaptureItem.Ignored i) {
          check(i.reason().length() <= MAX_PROBLEM, "a reason of " + i.reason().length() + " characters", input);
        }
      }
      check(reader.next() == null, "an item after the end", input);
    } catch (IOException e) {
      throw failure("close threw", input, e);
    }
    return THREADS.getCurrentThreadAllocatedBytes() - start;
  }

  private static synchronized Path file() {
    if (file == null) {
      try {
        Path shm = Path.of("/dev/shm");
        file = Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempFile(shm, "capture-fuzz", ".bin") : Files.createTempFile("capture-fuzz", ".bin");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      file.toFile().deleteOnExit();
    }
    return file;
  }

  private static void check(boolean condition, String what, byte[] input) {
    if (!condition) {
      throw failure(what, input, null);
    }
  }

  private static AssertionError failure(String what, byte[] input, Throwable cause) {
    int n = Math.min(input.length, 256);
    return new AssertionError(what + "; input " + input.length + " bytes: " + HexFormat.of().formatHex(input, 0, n)
        + (n < input.length ? "..." : ""), cause);
  }
}
