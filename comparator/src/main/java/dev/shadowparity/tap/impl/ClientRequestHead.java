package dev.shadowparity.tap.impl;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * The proxy's edge: what the tap makes of a client's request line and Host before anything reaches OLD or NEW.
 * A request is refused (never forwarded, counted by reason) when its Host is repeated, missing on HTTP/1.1, or not a
 * host name, IPv4 or bracketed IPv6 address with an optional port (userinfo, spaces, commas, percent signs and bad
 * ports included), when its target is neither origin-form ({@code /path?query}), absolute-form ({@code http://} or
 * {@code https://}), nor {@code *} for OPTIONS, and for CONNECT (the tap does not tunnel). An absolute-form target is
 * forwarded in origin-form with the Host of its authority, its userinfo dropped: no name, record or backend ever sees
 * the userinfo. See docs/security.md, "The proxy edge".
 *
 * @param uri  the target in origin-form (or {@code *}): what the backends get and the endpoint is named from
 * @param host the Host the request is for (the target's authority when absolute-form, else the client's Host); null
 *             when an HTTP/1.0 client sent none (the backend's own authority is sent then)
 */
record ClientRequestHead(String uri, String host) {

  /** Why a request was refused; {@link #wireName()} is the metric's {@code reason} tag. */
  enum Refusal {
    /** HTTP/1.1 without Host. */
    HOST_MISSING(400, "missing Host header"),
    /** Two or more Host header lines. */
    HOST_REPEATED(400, "repeated Host header"),
    /** A Host that is not host[:port] (an empty one on HTTP/1.1 included). */
    HOST_MALFORMED(400, "malformed Host header"),
    /** A request target that is not origin-form, http(s) absolute-form, or * for OPTIONS. */
    TARGET_MALFORMED(400, "malformed request target"),
    /** CONNECT: the tap is a reverse proxy and does not tunnel. */
    CONNECT(501, "CONNECT is not supported");

    final int status;
    final String message;

    Refusal(int status, String message) {
      this.status = status;
      this.message = message;
    }

    String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The outcome of looking at a request's head: a head to forward, or a refusal. */
  record Inspected(ClientRequestHead head, Refusal refusal) {}

  private static final int MAX_HOST_CHARS = 255;

  /**
   * The head to forward, or why the request is refused. Over HTTP/2 the request's authority is its
   * {@code :authority} (RFC 9113, section 8.3.1), checked as a Host is; a Host field besides it must name the same
   * (else {@code host-repeated}: two hosts for one request).
   */
  static Inspected inspect(HttpServerRequest req) {
    List<String> hosts = req.headers().getAll("host");
    if (req.version() == HttpVersion.HTTP_2) {
      io.vertx.core.net.HostAndPort authority = req.authority();
      if (authority != null) {
        String a = authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
        if (hosts.isEmpty()) {
          hosts = List.of(a);
        } else if (hosts.size() == 1 && !hosts.get(0).trim().equalsIgnoreCase(a)) {
          return refused(Refusal.HOST_REPEATED);
        }
      }
    }
    return inspect(req.method(), req.version(), req.uri(), hosts);
  }

  /** As {@link #inspect(HttpServerRequest)}, from the parts. */
  static Inspected inspect(HttpMethod method, HttpVersion version, String target, List<String> hosts) {
    if (method == HttpMethod.CONNECT) {
      return refused(Refusal.CONNECT);
    }
    if (hosts.size() > 1) {
      return refused(Refusal.HOST_REPEATED);
    }
    String host = hosts.isEmpty() ? null : hosts.get(0).trim();
    if (version == HttpVersion.HTTP_1_0 && (host == null || host.isEmpty())) {
      host = null; // HTTP/1.0 may send no Host (or an empty one): the backend's own authority is sent
    } else if (host == null) {
      return refused(Refusal.HOST_MISSING);
    } else if (!validHost(host)) {
      return refused(Refusal.HOST_MALFORMED); // an empty one on HTTP/1.1 too
    }
    if (target.startsWith("/")) {
      return new Inspected(new ClientRequestHead(target, host), null);
    }
    if (target.equals("*")) {
      return method == HttpMethod.OPTIONS ? new Inspected(new ClientRequestHead(target, host), null)
          : refused(Refusal.TARGET_MALFORMED);
    }
    return absoluteForm(target);
  }

  /** {@code http://[userinfo@]host[:port][/path][?query]} as origin-form with the authority's host; else a refusal. */
  private static Inspected absoluteForm(String target) {
    int colon = target.indexOf("://");
    if (colon <= 0) {
      return refused(Refusal.TARGET_MALFORMED);
    }
    String scheme = target.substring(0, colon);
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      return refused(Refusal.TARGET_MALFORMED);
    }
    int start = colon + 3;
    int end = target.length();
    for (int i = start; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = target.substring(start, end);
    int at = authority.indexOf('@');
    // the userinfo goes nowhere; a second '@' (which host was meant?) leaves one in the host, which is refused
    String host = at < 0 ? authority : authority.substring(at + 1);
    if (!validHost(host)) {
      return refused(Refusal.TARGET_MALFORMED);
    }
    String rest = target.substring(end);
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment); // never part of a request target
    }
    String uri = rest.startsWith("/") ? rest : "/" + rest;
    return new Inspected(new ClientRequestHead(uri, host), null);
  }

  private static Inspected refused(Refusal r) {
    return new Inspected(null, r);
  }

  /**
   * Whether a Host value is {@code host[:port]}: a name of letters, digits, {@code - . _ ~} (which covers IPv4), or an
   * IPv6 literal in brackets, and a port of 1 to 65535. Stricter than RFC 3986's reg-name on purpose: no userinfo,
   * no percent-encoding, no sub-delimiters ({@code a,b} would read as two hosts to some backends), no white space.
   */
  static boolean validHost(String h) {
    int n = h.length();
    if (n == 0 || n > MAX_HOST_CHARS + 6) {
      return false;
    }
    int hostEnd;
    if (h.charAt(0) == '[') {
      int close = h.indexOf(']');
      if (close < 3) {
        return false;
      }
      boolean colon = false;
      for (int i = 1; i < close; i++) {
        char c = h.charAt(i);
        if (c == ':') {
          colon = true;
        } else if (!(c == '.' || Character.digit(c, 16) >= 0)) {
          return false;
        }
      }
      if (!colon) {
        return false;
      }
      hostEnd = close + 1;
    } else {
      hostEnd = 0;
      while (hostEnd < n && h.charAt(hostEnd) != ':') {
        char c = h.charAt(hostEnd);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
            || c == '_' || c == '~')) {
          return false;
        }
        hostEnd++;
      }
      if (hostEnd == 0 || hostEnd > MAX_HOST_CHARS) {
        return false;
      }
    }
    if (hostEnd == n) {
      return true;
    }
    if (h.charAt(hostEnd) != ':' || n - hostEnd - 1 < 1 || n - hostEnd - 1 > 5) {
      return false;
    }
    int port = 0;
    for (int i = hostEnd + 1; i < n; i++) {
      char c = h.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65535;
  }
}
