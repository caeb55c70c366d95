package dev.shadowparity.http;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.OversizedResponse;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 and length of a body too large to copy, taken chunk by chunk as it streams past: what lets two large
 * answers be judged without holding either ({@link OversizedResponse}). Reading stops at {@link #limit(long)} bytes,
 * so that a backend streaming without end costs a bounded amount of hashing. Not thread-safe; one per body.
 */
public final class BodyDigest {

  /** Bodies are hashed up to this many times the copy cap; past it only their length (a lower bound) is known. */
  public static final long LIMIT_FACTOR = 16;

  private final MessageDigest sha;
  private final long limit;
  private long bytes;

  public BodyDigest(long cap) {
    this.limit = limit(cap);
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The most body bytes hashed for a copy cap. */
  public static long limit(long cap) {
    return cap > Long.MAX_VALUE / LIMIT_FACTOR ? Long.MAX_VALUE : cap * LIMIT_FACTOR;
  }

  /** Adds a chunk; false when the body is now past the limit (hashing stopped, the caller stops reading). */
  public boolean update(Buffer chunk) {
    bytes += chunk.length();
    if (bytes > limit) {
      return false;
    }
    // the bytes in place, no copy (Vert.x 5 exposes the Netty buffer on BufferInternal)
    sha.update(((io.vertx.core.internal.buffer.BufferInternal) chunk).getByteBuf().nioBuffer());
    return true;
  }

  /** Body bytes seen so far. */
  public long bytes() {
    return bytes;
  }

  /** The answer once the body ended: its length and digest. */
  public OversizedResponse complete(int status, Headers headers) {
    return new OversizedResponse(status, headers, bytes, HexFormat.of().formatHex(sha.digest()), 0);
  }

  /** The answer when reading stopped early: its length so far, a lower bound, and no digest. */
  public OversizedResponse stopped(int status, Headers headers) {
    return new OversizedResponse(status, headers, bytes, null, 0);
  }
}
