package dev.shadowparity.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the endpoint of a request, {@code METHOD /path/{id}}: configured routes first, then automatic
 * templating of segments that look like ids. The query string is never part of an endpoint. Once
 * {@code maxEndpoints} distinct endpoints were seen, new ones all go to {@link #OTHER}. Thread-safe.
 *
 * <p>A segment becomes {@code {id}} when it is: all digits; a UUID; hex of 16 or more characters, or of
 * 8 or more with both digits and letters; or an opaque token of 16 or more URL-safe characters that mixes
 * letters and digits the way generated ids do (upper and lower case and digits, or a switch between
 * letter and digit at least every 4 characters). Words and slugs such as {@code order-2024-summary} stay
 * as they are. An id followed by a short file extension becomes {@code {id}.json} and the like.
 */
public final class EndpointTemplater {

  /** The bucket for endpoints past the cap. */
  public static final String OTHER = "OTHER";
  public static final String ID = "{id}";


  private final List<RoutePattern> routes;
  private final int maxEndpoints;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  /** Counts resets, so that a {@link LocalCache} forgets what it learnt before one. */
  private volatile int generation;

  public EndpointTemplater(List<String> routes, int maxEndpoints) {
    if (maxEndpoints <= 0) {
      throw new IllegalArgumentException("max endpoints must be positive: " + maxEndpoints);
    }
    List<RoutePattern> parsed = new ArrayList<>(routes.size());
    for (String r : routes) {
      parsed.add(RoutePattern.parse(r));
    }
    this.routes = List.copyOf(parsed);
    this.maxEndpoints = maxEndpoints;
  }

  /** The endpoint of a request; {@code uri} may carry a query string or be in absolute form. */
  public String endpointOf(String method, String uri) {
    String m = method.toUpperCase(Locale.ROOT);
    String path = pathOf(uri);
    String[] segments = split(path);
    String endpoint = null;
    for (RoutePattern route : routes) {
      if (route.matches(m, segments)) {
        endpoint = m + " " + route.template();
        break;
      }
    }
    if (endpoint == null) {
      endpoint = m + " " + template(path, segments);
    }
    return admit(endpoint);
  }

  private String admit(String endpoint) {
    if (seen.contains(endpoint)) {
      return endpoint;
    }
    synchronized (seen) {
      if (seen.contains(endpoint)) {
        return endpoint;
      }
      if (seen.size() >= maxEndpoints) {
        return OTHER;
      }
      seen.add(endpoint);
      return endpoint;
    }
  }

  /** Forgets the endpoints seen, so that the cap counts afresh. */
  public void reset() {
    synchronized (seen) {
      seen.clear();
      generation++;
    }
  }

  /** A cache of this templater's answers for one thread (an event loop); see {@link LocalCache}. */
  public LocalCache localCache() {
    return new LocalCache();
  }

  /**
   * The endpoints of the request targets seen last, for one thread: a direct-mapped table of
   * {@value #CACHE_SLOTS} slots keyed by method and the whole request target, so that a busy endpoint is
   * named with a hash and a string comparison instead of a split, a template and a set lookup. What it
   * answers is what {@link #endpointOf} answers; it forgets everything at a {@link #reset}, so the
   * endpoint cap counts afresh. Targets longer than {@value #CACHE_MAX_URI} characters are not kept. Not
   * thread-safe.
   */
  public final class LocalCache {
    private final String[] methods = new String[CACHE_SLOTS];
    private final String[] uris = new String[CACHE_SLOTS];
    private final String[] endpoints = new String[CACHE_SLOTS];
    private final int[] generations = new int[CACHE_SLOTS];

    private LocalCache() {}

    public String endpointOf(String method, String uri) {
      int g = generation;
      int i = (uri.hashCode() * 31 + method.hashCode()) & (CACHE_SLOTS - 1);
      String cached = endpoints[i];
      if (cached != null && generations[i] == g && uri.equals(uris[i]) && method.equals(methods[i])) {
        return cached;
      }
      String endpoint = EndpointTemplater.this.endpointOf(method, uri);
      if (uri.length() <= CACHE_MAX_URI) {
        methods[i] = method;
        uris[i] = uri;
        endpoints[i] = endpoint;
        generations[i] = g; // read before the lookup: a reset since then makes the slot stale at once
      }
      return endpoint;
    }
  }

  static final int CACHE_SLOTS = 256;
  static final int CACHE_MAX_URI = 512;

  static String pathOf(String uri) {
    String p = uri;
    if (!p.startsWith("/")) {
      // absolute form (http://host/path?q): the authority ends at the first '/', '?' or '#'
      int scheme = p.indexOf("://");
      if (scheme > 0) {
        int start = scheme + 3;
        int end = p.length();
        for (int i = start; i < p.length(); i++) {
          char c = p.charAt(i);
          if (c == '/' || c == '?' || c == '#') {
            end = i;
            break;
          }
        }
        p = end < p.length() && p.charAt(end) == '/' ? p.substring(end) : "/" + p.substring(end);
      }
    }
    int cut = p.length();
    int q = p.indexOf('?');
    if (q >= 0) {
      cut = q;
    }
    int f = p.indexOf('#');
    if (f >= 0 && f < cut) {
      cut = f;
    }
    p = p.substring(0, cut);
    return p.isEmpty() ? "/" : p;
  }

  /** Path segments between slashes; a trailing slash gives a final empty segment. */
  static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.isEmpty()) {
      return new String[0];
    }
    return p.split("/", -1);
  }

  private static String template(String path, String[] segments) {
    StringBuilder sb = new StringBuilder(path.length());
    for (String s : segments) {
      sb.append('/').append(templateSegment(s));
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** {@code {id}} for an id, {@code {id}.json} for an id with a file extension, else the segment. */
  private static String templateSegment(String s) {
    if (looksLikeId(s)) {
      return ID;
    }
    int dot = s.lastIndexOf('.');
    if (dot > 0 && s.length() - dot <= 6 && looksLikeId(s.substring(0, dot))) {
      String ext = s.substring(dot + 1);
      if (!ext.isEmpty() && ext.chars().allMatch(Character::isLetter)) {
        return ID + "." + ext;
      }
    }
    return s;
  }

  private static boolean hexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!hexDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** 8-4-4-4-12 hex digits. */
  private static boolean isUuid(String s) {
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !hexDigit(c)) {
        return false;
      }
    }
    return true;
  }

  /** Only URL-safe token characters: letters, digits and {@code _-.~=+%}. */
  private static boolean isTokenChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
          || c == '_' || c == '-' || c == '.' || c == '~' || c == '=' || c == '+' || c == '%';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a path segment is an id rather than a name. */
  public static boolean looksLikeId(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    int digits = 0;
    int letters = 0;
    boolean upper = false;
    boolean lower = false;
    int changes = 0; // switches between letters and digits, punctuation skipped
    int lastClass = -1;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int cls;
      if (c >= '0' && c <= '9') {
        digits++;
        cls = 0;
      } else if (Character.isLetter(c)) {
        letters++;
        upper |= Character.isUpperCase(c);
        lower |= Character.isLowerCase(c);
        cls = 1;
      } else {
        continue;
      }
      if (lastClass >= 0 && cls != lastClass) {
        changes++;
      }
      lastClass = cls;
    }
    if (digits == n) {
      return true;
    }
    if (n == 36 && isUuid(s)) {
      return true;
    }
    if (n >= 8 && isHex(s) && (n >= 16 || (digits > 0 && letters > 0))) {
      return true;
    }
    if (n >= 16 && digits > 0 && letters > 0 && isTokenChars(s)) {
      return (upper && lower) || changes * 4 >= n;
    }
    return false;
  }
}
