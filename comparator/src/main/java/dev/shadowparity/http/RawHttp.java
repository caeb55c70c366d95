package dev.shadowparity.http;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses HTTP/1.x messages held whole in memory, as {@code curl -si} saves a response or as GoReplay
 * records a request: start line, headers, empty line, body. Accepts CRLF or bare LF line ends, skips
 * interim 1xx responses, and undoes chunked transfer coding. Errors name the byte offset.
 */
public final class RawHttp {

  private RawHttp() {}

  /** Whether the bytes start like an HTTP/1.x response ({@code HTTP/1.1 200 ...}). */
  public static boolean looksLikeResponse(byte[] bytes) {
    return startsWith(bytes, 0, "HTTP/1.") || startsWith(bytes, 0, "HTTP/2 ") || startsWith(bytes, 0, "HTTP/2.0 ");
  }

  public static RecordedResponse parseResponse(byte[] bytes) throws HttpParseException {
    int pos = 0;
    while (true) {
      Head head = parseHead(bytes, pos);
      String[] parts = head.startLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new HttpParseException("not an HTTP status line: '" + abbreviate(head.startLine) + "'", pos);
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new HttpParseException("status '" + abbreviate(parts[1]) + "' is not a number", pos);
      }
      if (status < 100 || status > 999) {
        throw new HttpParseException("status " + status + " is out of range", pos);
      }
      if (status >= 100 && status < 200 && status != 101 && head.bodyStart < bytes.length) {
        pos = head.bodyStart; // interim response, e.g. 100 Continue: the real one follows
        continue;
      }
      byte[] body = body(bytes, head);
      return new RecordedResponse(status, head.headers, body);
    }
  }

  public static RecordedRequest parseRequest(byte[] bytes) throws HttpParseException {
    Head head = parseHead(bytes, 0);
    String[] parts = head.startLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
      throw new HttpParseException("not an HTTP request line: '" + abbreviate(head.startLine) + "'", 0);
    }
    return new RecordedRequest(parts[0], parts[1], head.headers, body(bytes, head));
  }

  private record Head(String startLine, Headers headers, int bodyStart) {}

  private static Head parseHead(byte[] bytes, int from) throws HttpParseException {
    int pos = from;
    int lineEnd = lineEnd(bytes, pos);
    if (lineEnd < 0) {
      throw new HttpParseException("no complete start line", pos);
    }
    String startLine = new String(bytes, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).trim();
    pos = next(bytes, lineEnd);
    Headers.Builder headers = Headers.builder();
    while (true) {
      int end = lineEnd(bytes, pos);
      if (end < 0) {
        if (pos >= bytes.length) {
          break; // headers only, no empty line: a message without body
        }
        throw new HttpParseException("header section does not end with an empty line", pos);
      }
      if (end == pos) {
        pos = next(bytes, end);
        break;
      }
      String line = new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1);
      int colon = line.indexOf(':');
      String name = colon <= 0 ? "" : line.substring(0, colon).trim();
      if (name.isEmpty()) {
        // also " : value", whose name is only white space
        throw new HttpParseException("header line without a name and colon: '" + abbreviate(line) + "'", pos);
      }
      headers.add(name, line.substring(colon + 1).trim());
      pos = next(bytes, end);
    }
    return new Head(startLine, headers.build(), Math.min(pos, bytes.length));
  }

  private static byte[] body(byte[] bytes, Head head) throws HttpParseException {
    String te = head.headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return dechunk(bytes, head.bodyStart);
    }
    return Arrays.copyOfRange(bytes, head.bodyStart, bytes.length);
  }

  private static byte[] dechunk(byte[] bytes, int from) throws HttpParseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length - from);
    int pos = from;
    while (true) {
      int end = lineEnd(bytes, pos);
      if (end < 0) {
        throw new HttpParseException("chunked body ends without the final 0-size chunk", pos);
      }
      String sizeLine = new String(bytes, pos, end - pos, StandardCharsets.ISO_8859_1);
      int semi = sizeLine.indexOf(';');
      String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
      if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new HttpParseException("bad chunk size '" + abbreviate(hex) + "'", pos);
      }
      long size = Long.parseLong(hex, 16);
      pos = next(bytes, end);
      if (size == 0) {
        return out.toByteArray();
      }
      if (size > bytes.length - pos) {
        throw new HttpParseException("chunk of " + size + " bytes runs past the end of the data", pos);
      }
      out.write(bytes, pos, (int) size);
      pos += (int) size;
      int crlf = lineEnd(bytes, pos);
      if (crlf != pos) {
        throw new HttpParseException("chunk data not followed by a line end", pos);
      }
      pos = next(bytes, crlf);
    }
  }

  /** Index of the CR or LF ending the line that starts at {@code from}, or -1. */
  private static int lineEnd(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        return i > from && bytes[i - 1] == '\r' ? i - 1 : i;
      }
    }
    return -1;
  }

  private static int next(byte[] bytes, int lineEnd) {
    return bytes[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
  }

  private static boolean startsWith(byte[] bytes, int at, String prefix) {
    if (bytes.length - at < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
