package dev.shadowparity.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;

/**
 * A response body after Content-Encoding and charset decoding. A body that could not be decoded is a
 * result too: {@link #problem()} says why, and the raw bytes are kept.
 */
public final class DecodedBody {

  private final BodyKind kind;
  private final byte[] bytes;
  private final Charset charset;
  private final String text;
  private final JsonNode json;
  private final String problem;
  /** For a body decoded on first use ({@link #lazy}): how; null for a body decoded already. */
  private final java.util.function.Supplier<DecodedBody> pending;
  private volatile DecodedBody resolved;

  private DecodedBody(BodyKind kind, byte[] bytes, Charset charset, String text, JsonNode json, String problem) {
    this.kind = kind;
    this.bytes = bytes;
    this.charset = charset;
    this.text = text;
    this.json = json;
    this.problem = problem;
    this.pending = null;
  }

  private DecodedBody(java.util.function.Supplier<DecodedBody> pending) {
    this.kind = null;
    this.bytes = null;
    this.charset = null;
    this.text = null;
    this.json = null;
    this.problem = null;
    this.pending = pending;
  }

  /**
   * A body decoded only when something asks for it, once: what a comparison of two byte-identical answers hands on,
   * since nothing needs their decoding unless a difference elsewhere (status, a header) makes a sample of them.
   */
  public static DecodedBody lazy(java.util.function.Supplier<DecodedBody> decode) {
    return new DecodedBody(java.util.Objects.requireNonNull(decode, "decode"));
  }

  /** This body, decoded: itself, or for a lazy one what its decoding gave (made on the first call). */
  private DecodedBody r() {
    if (pending == null) {
      return this;
    }
    DecodedBody d = resolved;
    if (d == null) {
      synchronized (this) {
        d = resolved;
        if (d == null) {
          d = pending.get();
          resolved = d;
        }
      }
    }
    return d;
  }

  /** A decoded body; {@code text} may be null when it is to be made from the bytes on demand. */
  public static DecodedBody of(BodyKind kind, byte[] bytes, Charset charset, String text, JsonNode json) {
    return new DecodedBody(kind, bytes, charset, text, json, null);
  }

  /** A body that could not be decoded; {@code kind} is what it claimed to be. */
  public static DecodedBody undecodable(BodyKind kind, byte[] bytes, String problem) {
    return new DecodedBody(kind, bytes, null, null, null, problem);
  }

  /** What the body holds (for an undecodable body: what it claimed to hold). */
  public BodyKind kind() {
    return pending == null ? kind : r().kind();
  }

  /** Bytes after undoing Content-Encoding (the raw bytes when that failed). */
  public byte[] bytes() {
    return pending == null ? bytes : r().bytes();
  }

  /** The charset used to read text, {@code null} for binary or undecodable bodies. */
  public Charset charset() {
    return pending == null ? charset : r().charset();
  }

  /**
   * The body as text, or {@code null} for binary bodies and bodies whose bytes are not valid in their
   * charset. For JSON read straight from UTF-8 bytes the text is made on first call.
   */
  public String text() {
    if (pending != null) {
      return r().text();
    }
    if (text == null && charset != null && kind != BodyKind.BINARY) {
      return new String(bytes, charset);
    }
    return text;
  }

  /** The canonical JSON tree (NFC strings, exact numbers) for JSON and form bodies, else {@code null}. */
  public JsonNode json() {
    return pending == null ? json : r().json();
  }

  /** Why the body could not be decoded, or {@code null} when it was. */
  public String problem() {
    return pending == null ? problem : r().problem();
  }

  public boolean isDecoded() {
    return problem() == null;
  }

  @Override
  public String toString() {
    if (pending != null) {
      return r().toString();
    }
    return problem == null ? kind.wireName() + " (" + bytes.length + " bytes)" : "undecodable: " + problem;
  }
}
