package dev.shadowparity.grpc;

import dev.shadowparity.engine.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * gRPC's length-prefixed message framing: each message is a 1-byte compressed flag, a 4-byte big-endian length and
 * the message, repeated to the end of the body. A compressed message is undone with the call's {@code grpc-encoding}
 * ({@code gzip}, {@code deflate} or {@code identity}). Every limit is checked before anything is allocated: the sum of
 * the messages' decoded sizes against {@code maxDecodedBytes}, their count against {@code maxMessages}. Malformed
 * framing is a result ({@link Frames#problem()}), never an exception.
 */
public final class GrpcFrames {

  private GrpcFrames() {}

  /**
   * The messages of a body, or why they could not be read.
   *
   * @param messages  the messages, decompressed, in order (those read before a problem)
   * @param problem   why the body could not be read, {@code null} when it was
   * @param truncated more messages followed than {@code maxMessages}; those were not read
   * @param trailers  gRPC-Web's trailers, sent in the body as a frame flagged {@code 0x80}; empty when none
   */
  public record Frames(List<byte[]> messages, String problem, boolean truncated, Headers trailers) {

    Frames(List<byte[]> messages, String problem, boolean truncated) {
      this(messages, problem, truncated, Headers.empty());
    }

    /** Whether the framing was read without a problem. */
    public boolean ok() {
      return problem == null;
    }
  }

  /**
   * Reads the messages of a gRPC body.
   *
   * @param body            the body as received (the framing is never under a Content-Encoding)
   * @param encoding        the {@code grpc-encoding} header's value, {@code null} for identity
   * @param maxDecodedBytes the most bytes all messages may take decoded together
   * @param maxMessages     messages read at most; later ones are left (and {@code truncated} set)
   */
  public static Frames read(byte[] body, String encoding, long maxDecodedBytes, int maxMessages) {
    List<byte[]> messages = new ArrayList<>();
    long total = 0;
    int pos = 0;
    while (pos < body.length) {
      if (messages.size() >= maxMessages) {
        return new Frames(messages, null, true, trailersAfter(body, pos));
      }
      if (body.length - pos < 5) {
        return new Frames(messages, "gRPC framing: " + (body.length - pos) + " bytes left at offset " + pos
            + ", fewer than a 5-byte message header", false);
      }
      int flag = body[pos] & 0xff;
      long length = ((body[pos + 1] & 0xffL) << 24) | ((body[pos + 2] & 0xffL) << 16) | ((body[pos + 3] & 0xffL) << 8)
          | (body[pos + 4] & 0xffL);
      if (flag == 0x80 && length <= body.length - pos - 5) {
        // gRPC-Web: the trailers, as HTTP/1 header lines, in the body's last frame
        Headers trailers = webTrailers(body, pos + 5, (int) length);
        if (trailers == null) {
          return new Frames(messages, "gRPC-Web trailers at offset " + pos + " are not header lines", false);
        }
        if (pos + 5 + length != body.length) {
          return new Frames(messages, "gRPC-Web trailers at offset " + pos + " are not the body's last frame", false);
        }
        return new Frames(messages, null, false, trailers);
      }
      if (flag > 1) {
        return new Frames(messages, "gRPC framing: compressed flag " + flag + " at offset " + pos + " (must be 0 or 1)", false);
      }
      if (length > body.length - pos - 5) {
        return new Frames(messages, "gRPC framing: message " + messages.size() + " at offset " + pos + " claims " + length
            + " bytes, only " + (body.length - pos - 5) + " follow", false);
      }
      int start = pos + 5;
      int len = (int) length;
      byte[] message;
      if (flag == 0) {
        if (total + len > maxDecodedBytes) {
          return new Frames(messages, tooLarge(maxDecodedBytes), false);
        }
        message = java.util.Arrays.copyOfRange(body, start, start + len);
      } else {
        try {
          message = inflate(body, start, len, encoding, maxDecodedBytes - total);
        } catch (IOException e) {
          return new Frames(messages, "gRPC message " + messages.size() + " (" + coding(encoding) + "): " + e.getMessage(), false);
        }
        if (message == null) {
          return new Frames(messages, tooLarge(maxDecodedBytes), false);
        }
      }
      total += message.length;
      messages.add(message);
      pos = start + len;
    }
    return new Frames(messages, null, false);
  }

  /**
   * gRPC-Web's trailers past the messages read: the frames from {@code pos} are skipped by their lengths (not read, not
   * decompressed) up to a frame flagged {@code 0x80} that ends the body. Empty when there is none, or when the skipped
   * framing does not hold together (the rest of the body is not judged). Each step moves at least 5 bytes on, within
   * the body.
   */
  private static Headers trailersAfter(byte[] body, int pos) {
    while (body.length - pos >= 5) {
      int flag = body[pos] & 0xff;
      long length = ((body[pos + 1] & 0xffL) << 24) | ((body[pos + 2] & 0xffL) << 16) | ((body[pos + 3] & 0xffL) << 8)
          | (body[pos + 4] & 0xffL);
      if (length > body.length - pos - 5) {
        return Headers.empty();
      }
      if (flag == 0x80) {
        Headers trailers = pos + 5 + length == body.length ? webTrailers(body, pos + 5, (int) length) : null;
        return trailers == null ? Headers.empty() : trailers;
      }
      pos += 5 + (int) length;
    }
    return Headers.empty();
  }

  /** {@code name: value} lines separated by CRLF (or LF), or {@code null} when a line is not one. */
  private static Headers webTrailers(byte[] body, int start, int len) {
    String text = new String(body, start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    Headers.Builder b = Headers.builder();
    for (String line : text.split("\r?\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon <= 0 ? "" : line.substring(0, colon).trim();
      if (name.isEmpty()) {
        // also " : value", and a name of control bytes only, which trim() takes away too
        return null;
      }
      b.add(name.toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return b.build();
  }

  private static String tooLarge(long max) {
    return "gRPC messages decode to more than " + max + " bytes (limits.max-decoded-bytes)";
  }

  private static String coding(String encoding) {
    return encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
  }

  /** A compressed message undone, or {@code null} when it decodes to more than {@code room} bytes. */
  private static byte[] inflate(byte[] body, int start, int len, String encoding, long room) throws IOException {
    String c = coding(encoding);
    InputStream in;
    switch (c) {
      case "gzip":
        in = new GZIPInputStream(new ByteArrayInputStream(body, start, len));
        break;
      case "deflate":
        in = new InflaterInputStream(new ByteArrayInputStream(body, start, len));
        break;
      case "identity":
        throw new IOException("message flagged compressed but grpc-encoding is identity or absent");
      default:
        throw new IOException("unsupported grpc-encoding '" + c + "' (gzip, deflate and identity are read)");
    }
    try (in) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.min(len * 4, 1 << 16));
      byte[] buf = new byte[8192];
      long n = 0;
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
        if (n > room) {
          return null;
        }
        out.write(buf, 0, r);
      }
      return out.toByteArray();
    }
  }

  /** Frames messages as gRPC sends them, uncompressed (for tests and tools). */
  public static byte[] frame(List<byte[]> messages) {
    int size = 0;
    for (byte[] m : messages) {
      size += 5 + m.length;
    }
    byte[] out = new byte[size];
    int pos = 0;
    for (byte[] m : messages) {
      out[pos] = 0;
      out[pos + 1] = (byte) (m.length >>> 24);
      out[pos + 2] = (byte) (m.length >>> 16);
      out[pos + 3] = (byte) (m.length >>> 8);
      out[pos + 4] = (byte) m.length;
      System.arraycopy(m, 0, out, pos + 5, m.length);
      pos += 5 + m.length;
    }
    return out;
  }
}
