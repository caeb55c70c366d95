package dev.shadowparity.replay;

import java.io.Closeable;

/**
 * Streams the records of one capture file, holding only what one record needs. A read error of the file
 * itself (say, a truncated gzip stream) comes back as a final {@link CaptureItem.Corrupt} item, so that
 * what was read before it still counts.
 */
public interface CaptureReader extends Closeable {

  /** The next item, or {@code null} at the end of the file. */
  CaptureItem next();

  /** The format being read. */
  CaptureFormat format();

  /** How far into the (decompressed) file reading has got, in bytes; for progress. */
  long bytesRead();
}
