package dev.shadowparity.http;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.OversizedResponse;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The digest and length of a body too large to copy, taken chunk by chunk as it streams past: what lets two large
 * answers be judged without holding either ({@link OversizedResponse}). The digest is two CRCs of different
 * polynomials (CRC-32C and CRC-32, 64 bits in all), both computed by CPU instructions: it runs on the event loop
 * for every byte of a large answer, and SHA-256 costs 30 times as much (1.6 GB/s against 50 GB/s for each CRC on
 * the AMD EPYC this was measured on); with SHA-256, {@code bench/large-bodies.sh} gave the clients of 7 MB answers
 * 0.41 and 0.54 of their sample-rate-0 throughput, with the CRCs 0.62 and 0.66 (interleaved runs). It is not
 * cryptographic: it tells accidental differences (which is what two backends' answers have); two different bodies
 * of the same length share it with odds of about 1 in 2^64, and a difference within 32 consecutive bits is always
 * seen. Reading stops at {@link #limit(long)} bytes, so that a backend streaming without end costs a bounded
 * amount of work. Not thread-safe; one per body.
 */
public final class BodyDigest {

  /**
   * A body read only to be hashed (NEW's) is read up to this many times the copy cap; past it only its length (a
   * lower bound) is known. A body that streams through anyway (OLD's, to the client) is hashed whole.
   */
  public static final long LIMIT_FACTOR = 64;

  private final CRC32C crc32c = new CRC32C();
  private final CRC32 crc32 = new CRC32();
  private final long limit;
  private long bytes;

  /** A digest that stops at {@link #limit(long)} of {@code cap}. */
  public BodyDigest(long cap) {
    this(cap, true);
  }

  private BodyDigest(long cap, boolean bounded) {
    this.limit = bounded ? limit(cap) : Long.MAX_VALUE;
  }

  /** A digest of a body however long: for one that passes through anyway. */
  public static BodyDigest unbounded() {
    return new BodyDigest(0, false);
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
    ByteBuffer view = ((io.vertx.core.internal.buffer.BufferInternal) chunk).getByteBuf().nioBuffer();
    crc32c.update(view.duplicate());
    crc32.update(view);
    return true;
  }

  /**
   * A recorded answer whose body, already held, is over the copy cap, judged as a live one would be: by its length and
   * digest (replay against a capture), never parsed.
   */
  public static OversizedResponse of(dev.shadowparity.engine.RecordedResponse r) {
    BodyDigest d = unbounded();
    d.bytes = r.body().length;
    d.crc32c.update(r.body());
    d.crc32.update(r.body());
    return d.complete(r.status(), r.headers()).withLatency(r.latencyNanos());
  }

  /** Body bytes seen so far. */
  public long bytes() {
    return bytes;
  }

  /** The answer once the body ended: its length and digest. */
  public OversizedResponse complete(int status, Headers headers) {
    return new OversizedResponse(status, headers, bytes, String.format("%08x%08x", crc32c.getValue(), crc32.getValue()), 0);
  }

  /** The answer when reading stopped early: its length so far, a lower bound, and no digest. */
  public OversizedResponse stopped(int status, Headers headers) {
    return new OversizedResponse(status, headers, bytes, null, 0);
  }
}
