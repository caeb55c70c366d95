package dev.shadowparity.report;

import dev.shadowparity.engine.Headers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How secrets are masked wherever exchanges are kept (samples, captures): Authorization-like headers
 * become {@code [redacted]}; Cookie keeps its cookie names ({@code sid=[redacted]; theme=[redacted]});
 * Set-Cookie keeps name and attributes ({@code sid=[redacted]; Path=/; HttpOnly}), so a difference in
 * cookie attributes stays readable while no value ever leaves the process.
 */
public final class Redaction {

  /** Headers always masked. */
  public static final Set<String> DEFAULT_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  public static final String MASK = "[redacted]";
  public static final Redaction DEFAULT = new Redaction(Set.of());

  private final Set<String> headers;

  /** @param extraHeaders header names (any case) masked on top of {@link #DEFAULT_HEADERS} */
  public Redaction(Set<String> extraHeaders) {
    Set<String> all = new HashSet<>(DEFAULT_HEADERS);
    extraHeaders.forEach(h -> all.add(h.toLowerCase(Locale.ROOT)));
    this.headers = Set.copyOf(all);
  }

  /** The value to keep for a header. */
  public String value(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!headers.contains(lower)) {
      return value;
    }
    return switch (lower) {
      case "set-cookie" -> maskCookieValue(value);
      case "cookie" -> maskCookiePairs(value);
      default -> MASK;
    };
  }

  /** Header pairs, in order, with secrets masked. */
  public List<List<String>> headers(Headers h) {
    List<List<String>> out = new ArrayList<>(h.size());
    for (Map.Entry<String, String> e : h.entries()) {
      out.add(List.of(e.getKey(), value(e.getKey(), e.getValue())));
    }
    return out;
  }

  private static String maskCookieValue(String setCookie) {
    int eq = setCookie.indexOf('=');
    int semi = setCookie.indexOf(';');
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      return MASK;
    }
    return setCookie.substring(0, eq + 1) + MASK + (semi < 0 ? "" : setCookie.substring(semi));
  }

  private static String maskCookiePairs(String cookie) {
    return java.util.Arrays.stream(cookie.split(";"))
        .map(String::trim)
        .map(p -> p.indexOf('=') < 0 ? MASK : p.substring(0, p.indexOf('=') + 1) + MASK)
        .collect(Collectors.joining("; "));
  }
}
