package dev.shadowparity.replay.impl;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Checks that a recorded request can be sent as HTTP/1.1, so that what cannot is reported as corrupt input. */
final class Requests {

  private Requests() {}

  /** The request, or a {@link BadRecord} naming what makes it unsendable. */
  /**
   * As {@link #checked(String, String, Headers, byte[])}, for a request recorded with its HTTP version: {@code HTTP/2}
   * (also {@code h2}, {@code HTTP/2.0}, as HARs write it) is sent again over HTTP/2; anything else over HTTP/1.1.
   */
  static RecordedRequest checked(String method, String target, Headers headers, byte[] body, String protocol)
      throws BadRecord {
    RecordedRequest r = checked(method, target, headers, body);
    return http2(protocol) ? new RecordedRequest(r.method(), r.uri(), r.headers(), r.body(), RecordedRequest.HTTP_2) : r;
  }

  /** Whether a recorded HTTP version names HTTP/2. */
  static boolean http2(String protocol) {
    if (protocol == null) {
      return false;
    }
    String p = protocol.trim().toLowerCase(java.util.Locale.ROOT);
    return p.equals("http/2") || p.equals("http/2.0") || p.equals("h2") || p.equals("h2c");
  }

  static RecordedRequest checked(String method, String target, Headers headers, byte[] body) throws BadRecord {
    if (!isToken(method)) {
      throw new BadRecord("method '" + printable(method) + "' is not an HTTP token");
    }
    if (target.isEmpty() || !(target.startsWith("/") || target.equals("*") || target.startsWith("http://")
        || target.startsWith("https://"))) {
      throw new BadRecord("request target '" + printable(target) + "' is neither a path nor an absolute URL");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new BadRecord("request target '" + printable(target) + "' holds a space or control character");
      }
    }
    for (Map.Entry<String, String> h : headers.entries()) {
      if (!isToken(h.getKey())) {
        throw new BadRecord("header name '" + printable(h.getKey()) + "' is not an HTTP token");
      }
      String v = h.getValue();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '\r' || c == '\n' || c == 0) {
          throw new BadRecord("header " + printable(h.getKey()) + " has a line break or NUL in its value");
        }
      }
    }
    return new RecordedRequest(method, target, headers, body);
  }

  /** A request target as a browser shows it, made sendable: spaces, controls and non-ASCII percent-encoded. */
  static String encodeTarget(String target) {
    StringBuilder b = null;
    byte[] bytes = null;
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        bytes = target.getBytes(StandardCharsets.UTF_8);
        break;
      }
    }
    if (bytes == null) {
      return target;
    }
    b = new StringBuilder(bytes.length + 16);
    for (byte x : bytes) {
      int u = x & 0xff;
      if (u <= ' ' || u >= 0x7f) {
        b.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(u & 15, 16)));
      } else {
        b.append((char) u);
      }
    }
    return b.toString();
  }

  private static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
    return cut.replaceAll("[\\p{Cntrl}]", "?");
  }
}
