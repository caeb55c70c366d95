package dev.shadowparity.http;

import dev.shadowparity.engine.Headers;
import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Removal of hop-by-hop headers (RFC 9110 section 7.6.1), including any named in Connection, in both directions. */
public final class HopByHop {

  private HopByHop() {}

  /** Whether a header name (any case) is hop-by-hop, without allocating. */
  public static boolean isHopByHop(String name) {
    switch (name.length()) {
      case 2:
        return name.equalsIgnoreCase("te");
      case 7:
        return name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10:
        return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 16:
        return name.equalsIgnoreCase("proxy-connection");
      case 17:
        return name.equalsIgnoreCase("transfer-encoding");
      case 18:
        return name.equalsIgnoreCase("proxy-authenticate");
      case 19:
        return name.equalsIgnoreCase("proxy-authorization");
      default:
        return false;
    }
  }

  /**
   * Whether a name is an HTTP/2 pseudo-header ({@code :status}, {@code :path}...): part of the message's control data,
   * never a header field to forward or compare.
   */
  public static boolean isPseudo(String name) {
    return !name.isEmpty() && name.charAt(0) == ':';
  }

  /**
   * Whether a request's TE says it takes trailers (HTTP/2 allows no other TE). TE is hop-by-hop: the tap sends its
   * own {@code te: trailers} to a backend when its client takes trailers, so that a backend that needs it (gRPC)
   * sees it, and relays trailers to an HTTP/1.1 client only then.
   */
  public static boolean acceptsTrailers(MultiMap requestHeaders) {
    for (String v : requestHeaders.getAll("te")) {
      for (String t : v.split(",")) {
        String token = t.trim();
        int semi = token.indexOf(';');
        if ((semi < 0 ? token : token.substring(0, semi).trim()).equalsIgnoreCase("trailers")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Extra names listed in Connection (lower case), beyond close and keep-alive; empty when none. */
  public static Set<String> connectionNamed(MultiMap headers) {
    String connection = headers.get("connection");
    if (connection == null) {
      return Set.of();
    }
    Set<String> names = null;
    for (String v : headers.getAll("connection")) {
      if (v.equalsIgnoreCase("keep-alive") || v.equalsIgnoreCase("close")) {
        continue; // what nearly every message says: nothing to split
      }
      for (String t : v.split(",")) {
        String token = t.trim().toLowerCase(Locale.ROOT);
        if (!token.isEmpty() && !token.equals("close") && !token.equals("keep-alive")) {
          if (names == null) {
            names = new HashSet<>(4);
          }
          names.add(token);
        }
      }
    }
    return names == null ? Set.of() : names;
  }

  /** End-to-end headers of a Vert.x header map, in order, as a new mutable map. */
  public static MultiMap endToEnd(MultiMap headers) {
    return copyEndToEnd(headers, MultiMap.caseInsensitiveMultiMap());
  }

  /** Adds the end-to-end headers of {@code from} to {@code to}, in order, and returns {@code to}. */
  public static MultiMap copyEndToEnd(MultiMap from, MultiMap to) {
    return copy(from, to, false);
  }

  /**
   * Adds the end-to-end headers of a client's request to {@code to}, in order, without the tap's own markers
   * ({@link #isParityMarker}): only the tap says that a request is a shadow or a replay. Returns {@code to}.
   */
  public static MultiMap copyClientRequest(MultiMap from, MultiMap to) {
    return copy(from, to, true);
  }

  /** The end-to-end headers of a client's request, without the tap's markers, as a new mutable map. */
  public static MultiMap clientRequest(MultiMap headers) {
    return copy(headers, MultiMap.caseInsensitiveMultiMap(), true);
  }

  private static MultiMap copy(MultiMap from, MultiMap to, boolean dropMarkers) {
    Set<String> named = connectionNamed(from);
    for (Map.Entry<String, String> e : from) {
      String name = e.getKey();
      if (!isHopByHop(name) && !isPseudo(name) && (named.isEmpty() || !named.contains(name.toLowerCase(Locale.ROOT)))
          && !(dropMarkers && isParityMarker(name))) {
        to.add(name, e.getValue());
      }
    }
    return to;
  }

  /**
   * Whether a header name is one of the tap's markers: {@code X-Parity-} and anything after it, in any case, with
   * {@code _} taken for {@code -} (CGI and WSGI backends, Python's among them, read {@code X_Parity_Shadow} as
   * {@code HTTP_X_PARITY_SHADOW}, the very name {@code X-Parity-Shadow} becomes). Without allocating.
   */
  public static boolean isParityMarker(String name) {
    if (name.length() < 9) {
      return false;
    }
    String prefix = "x-parity-";
    for (int i = 0; i < 9; i++) {
      char c = name.charAt(i);
      char p = prefix.charAt(i);
      if (p == '-' ? c != '-' && c != '_' : Character.toLowerCase(c) != p) {
        return false;
      }
    }
    return true;
  }

  /** All headers of a Vert.x map as engine headers (for the comparison: it ignores hop-by-hop itself). */
  public static Headers toHeaders(MultiMap headers) {
    return BufferedCall.headers(headers);
  }
}
