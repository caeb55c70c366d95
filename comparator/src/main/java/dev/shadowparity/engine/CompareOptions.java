package dev.shadowparity.engine;

/** Limits of one comparison. Fluent setters; not thread-safe while being configured. */
public final class CompareOptions {

  /** Largest body after undoing Content-Encoding; a larger one is undecodable (guards against zip bombs). */
  public static final long DEFAULT_MAX_DECODED_BYTES = 16L * 1024 * 1024;
  /** Differences kept per comparison; the rest are counted as truncated. */
  public static final int DEFAULT_MAX_DIFFERENCES = 200;
  /** Characters kept of each old/new value shown in a difference. */
  public static final int DEFAULT_MAX_VALUE_LENGTH = 200;
  /** Lines kept of a unified diff of text bodies. */
  public static final int DEFAULT_MAX_DIFF_LINES = 300;
  /** Context lines around each change in a unified diff. */
  public static final int DEFAULT_CONTEXT_LINES = 3;
  /** Array elements per side beyond which changed arrays are compared index by index instead of aligned. */
  public static final int DEFAULT_MAX_ALIGNED_ELEMENTS = 2000;

  private long maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES;
  private int maxDifferences = DEFAULT_MAX_DIFFERENCES;
  private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
  private int maxDiffLines = DEFAULT_MAX_DIFF_LINES;
  private int contextLines = DEFAULT_CONTEXT_LINES;
  private int maxAlignedElements = DEFAULT_MAX_ALIGNED_ELEMENTS;

  public long getMaxDecodedBytes() {
    return maxDecodedBytes;
  }

  public CompareOptions setMaxDecodedBytes(long maxDecodedBytes) {
    this.maxDecodedBytes = positive(maxDecodedBytes, "max decoded bytes");
    return this;
  }

  public int getMaxDifferences() {
    return maxDifferences;
  }

  public CompareOptions setMaxDifferences(int maxDifferences) {
    this.maxDifferences = (int) positive(maxDifferences, "max differences");
    return this;
  }

  public int getMaxValueLength() {
    return maxValueLength;
  }

  public CompareOptions setMaxValueLength(int maxValueLength) {
    this.maxValueLength = (int) positive(maxValueLength, "max value length");
    return this;
  }

  public int getMaxDiffLines() {
    return maxDiffLines;
  }

  public CompareOptions setMaxDiffLines(int maxDiffLines) {
    this.maxDiffLines = (int) positive(maxDiffLines, "max diff lines");
    return this;
  }

  public int getContextLines() {
    return contextLines;
  }

  public CompareOptions setContextLines(int contextLines) {
    if (contextLines < 0) {
      throw new IllegalArgumentException("context lines must not be negative: " + contextLines);
    }
    this.contextLines = contextLines;
    return this;
  }

  public int getMaxAlignedElements() {
    return maxAlignedElements;
  }

  public CompareOptions setMaxAlignedElements(int maxAlignedElements) {
    this.maxAlignedElements = (int) positive(maxAlignedElements, "max aligned elements");
    return this;
  }

  private static long positive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }
}
