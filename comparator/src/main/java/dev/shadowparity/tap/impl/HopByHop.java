package dev.shadowparity.tap.impl;

import dev.shadowparity.engine.Headers;
import io.vertx.core.MultiMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Removal of hop-by-hop headers (RFC 9110 section 7.6.1), including any named in Connection, in both directions. */
final class HopByHop {

  static final Set<String> HEADERS = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

  private HopByHop() {}

  /** The names to drop: the fixed set plus those listed in Connection, lower case. */
  static Set<String> dropped(MultiMap headers) {
    String connection = headers.get("connection");
    if (connection == null) {
      return HEADERS;
    }
    Set<String> names = new HashSet<>(HEADERS);
    for (String v : headers.getAll("connection")) {
      for (String t : v.split(",")) {
        names.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }

  /** End-to-end headers of a Vert.x header map, in order. */
  static MultiMap endToEnd(MultiMap headers) {
    Set<String> drop = dropped(headers);
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> e : headers) {
      if (!drop.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        out.add(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** All headers of a Vert.x map as engine headers (for the comparison: it ignores hop-by-hop itself). */
  static Headers toHeaders(MultiMap headers) {
    Headers.Builder b = Headers.builder();
    for (Map.Entry<String, String> e : headers) {
      b.add(e.getKey(), e.getValue());
    }
    return b.build();
  }
}
