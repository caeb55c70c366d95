package dev.shadowparity.engine;

/**
 * Limits of one comparison. Only the decoded-body cap is configurable ({@code limits.max-decoded-bytes}); the others
 * are fixed. Not thread-safe while being configured.
 */
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
  private dev.shadowparity.grpc.GrpcSchemas grpcSchemas = dev.shadowparity.grpc.GrpcSchemas.NONE;

  /** Where gRPC calls' message types are found ({@code grpc:} in the config); by default nowhere (field numbers). */
  public dev.shadowparity.grpc.GrpcSchemas getGrpcSchemas() {
    return grpcSchemas;
  }

  public CompareOptions setGrpcSchemas(dev.shadowparity.grpc.GrpcSchemas grpcSchemas) {
    this.grpcSchemas = java.util.Objects.requireNonNull(grpcSchemas, "grpcSchemas");
    return this;
  }

  public long getMaxDecodedBytes() {
    return maxDecodedBytes;
  }

  public CompareOptions setMaxDecodedBytes(long maxDecodedBytes) {
    this.maxDecodedBytes = positive(maxDecodedBytes, "max decoded bytes");
    return this;
  }

  public int getMaxDifferences() {
    return DEFAULT_MAX_DIFFERENCES;
  }

  public int getMaxValueLength() {
    return DEFAULT_MAX_VALUE_LENGTH;
  }

  public int getMaxDiffLines() {
    return DEFAULT_MAX_DIFF_LINES;
  }

  public int getContextLines() {
    return DEFAULT_CONTEXT_LINES;
  }

  public int getMaxAlignedElements() {
    return DEFAULT_MAX_ALIGNED_ELEMENTS;
  }

  private static long positive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
    return value;
  }
}
