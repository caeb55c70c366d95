package dev.shadowparity.replay.impl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines as bytes from its own buffer, each kept only up to {@code maxLine} bytes: a
 * longer line is read to its end without being kept (only its length is counted) and flagged. A buffer grown for
 * a long line is let go before the next one, so that one large line does not stay held for the rest of the file.
 */
final class LineReader {

  private static final int SMALL = 8192;
  /** A line buffer larger than this is replaced by a small one before the next line. */
  private static final int KEEP = 1024 * 1024;

  private final InputStream in;
  private final int maxLine;
  private final byte[] chunk = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[SMALL];
  private int length;
  private long size;
  private boolean overLong;
  private long lineNumber;

  LineReader(InputStream in, int maxLine) {
    if (maxLine < 1) {
      throw new IllegalArgumentException("maxLine must be positive: " + maxLine);
    }
    this.in = in;
    this.maxLine = maxLine;
  }

  /**
   * Reads the next line; false at the end. Its bytes without the terminator ({@code \r\n} or {@code \n}) are
   * {@code buffer()[0, length())}, unless it was {@link #overLong()}.
   */
  boolean next() throws IOException {
    if (line.length > KEEP) {
      line = new byte[SMALL];
    }
    int len = 0;
    long total = 0;
    int last = -1;
    overLong = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        if (eof || !fill()) {
          break;
        }
      }
      any = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (chunk[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl >= 0 ? nl : limit;
      int n = end - start;
      if (n > 0) {
        total += n;
        last = chunk[end - 1];
        if (!overLong && (long) len + n > maxLine) {
          overLong = true; // from here on only counted: the part kept so far is let go at once
          line = new byte[SMALL];
          len = 0;
        }
        if (!overLong) {
          if (len + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLine, Math.max((long) line.length * 2, (long) len + n)));
          }
          System.arraycopy(chunk, start, line, len, n);
          len += n;
        }
      }
      pos = nl >= 0 ? nl + 1 : limit;
      if (nl >= 0) {
        break;
      }
    }
    if (!any) {
      length = 0;
      size = 0;
      return false;
    }
    lineNumber++;
    if (last == '\r' && !overLong) {
      total--;
      len--;
    }
    length = len;
    size = total;
    return true;
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk, 0, chunk.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  /** The last line's bytes, from 0 to {@link #length()}; overwritten by the next call to {@link #next()}. */
  byte[] buffer() {
    return line;
  }

  /** Bytes of the last line kept in {@link #buffer()}; 0 when it was {@link #overLong()}. */
  int length() {
    return length;
  }

  /**
   * Bytes of the last line without its terminator, all of them (also when it was not kept; then a {@code \r}
   * before the {@code \n} is counted, as the cap counts it).
   */
  long size() {
    return size;
  }

  /** Whether the last line was longer than the cap (and so was not kept). */
  boolean overLong() {
    return overLong;
  }

  /** The 1-based number of the last line returned. */
  long lineNumber() {
    return lineNumber;
  }
}
