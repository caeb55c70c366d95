package dev.shadowparity.replay.impl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines as bytes from its own buffer, each at most {@code maxLine} bytes; the rest
 * of a longer line is skipped and the line flagged.
 */
final class LineReader {

  private final InputStream in;
  private final int maxLine;
  private final byte[] chunk = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[8192];
  private boolean overLong;
  private long lineNumber;

  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /** The next line without its terminator ({@code \r\n} or {@code \n}), or {@code null} at the end. */
  byte[] next() throws IOException {
    int len = 0;
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
      int take = Math.min(end - start, maxLine - len);
      if (take < end - start) {
        overLong = true;
      }
      if (take > 0) {
        if (len + take > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(maxLine, Math.max((long) line.length * 2, (long) len + take)));
        }
        System.arraycopy(chunk, start, line, len, take);
        len += take;
      }
      pos = nl >= 0 ? nl + 1 : limit;
      if (nl >= 0) {
        break;
      }
    }
    if (!any) {
      return null;
    }
    lineNumber++;
    int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
    return Arrays.copyOf(line, end);
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

  /** Whether the last line was longer than the cap (and so was cut). */
  boolean overLong() {
    return overLong;
  }

  /** The 1-based number of the last line returned. */
  long lineNumber() {
    return lineNumber;
  }
}
