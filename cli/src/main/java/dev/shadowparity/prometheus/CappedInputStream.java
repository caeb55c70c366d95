package dev.shadowparity.prometheus;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads at most {@code max} bytes; one more is an {@link OverCap}. */
final class CappedInputStream extends FilterInputStream {

  /** The stream went past its cap. */
  static final class OverCap extends IOException {
    private static final long serialVersionUID = 1L;

    OverCap(long max) {
      super("more than " + max + " bytes");
    }
  }

  private final long max;
  private long read;

  CappedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long n) throws OverCap {
    read += n;
    if (read > max) {
      throw new OverCap(max);
    }
  }
}
