package dev.shadowparity.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the endpoint of a request, {@code METHOD /path/{id}}: configured routes first, then automatic
 * templating of segments that look like ids, then of positions that learned to take many names. The query
 * string is never part of an endpoint. Once {@code maxEndpoints} distinct endpoints were seen, new ones all go
 * to {@link #OTHER}. Thread-safe.
 *
 * <p><b>Decoding.</b> The path is split at {@code /} first, then each segment is percent-decoded as UTF-8
 * ({@link #decodeSegment}), so that {@code /a%62c} and {@code /abc} are one endpoint and
 * {@code /users/%EB%AF%BC%EC%A4%80} is named {@code /users/민준}. Routes match the decoded segments.
 *
 * <p><b>Ids.</b> A segment becomes {@code {id}} when it is: all digits; a UUID; hex of 16 or more characters,
 * or of 8 or more with both digits and letters; or an opaque token of 16 or more URL-safe characters that
 * mixes letters and digits the way generated ids do (upper and lower case and digits, or a switch between
 * letter and digit at least every 4 characters). Words and slugs such as {@code order-2024-summary} stay as
 * they are. An id followed by a short file extension becomes {@code {id}.json} and the like.
 *
 * <p><b>Names.</b> User names and slugs ({@code /users/alice}, {@code /blog/my-first-post}) cannot be told
 * from words by their letters, only by how many there are: a position, that is a method and the templated
 * path before a segment ({@code GET /users}, {@code GET /users/{name}}), that took more than
 * {@code slugThreshold} distinct values, at least half of them asked for only once (the long tail of names; an
 * API's collections are listed again and again), becomes {@code {name}} for every later request, whatever follows it
 * ({@code /users/zoe/posts} is {@code /users/{name}/posts}). Names given before that stay in the ledger with
 * the evidence recorded under them; they just get no more requests. Not learned, so that a few probes or a
 * large but fixed set cannot merge whole parts of a service: the first segment ({@code /api}, {@code /static}
 * are parts of a service, and a scanner probes hundreds of them), and a segment followed by an id
 * ({@code users} in {@code /api/users/42} names a collection, not an instance). At most
 * {@value #MAX_POSITIONS} positions are tracked per period, each with at most twice {@code slugThreshold} 64-bit
 * hashes of values and their counts; a position that reaches that many without the long tail is a fixed set and
 * keeps its names; past the positions, new ones are not learned.
 */
public final class EndpointTemplater {

  /** The bucket for endpoints past the cap. */
  public static final String OTHER = "OTHER";
  public static final String ID = "{id}";
  /** A learned position that took many names. */
  public static final String NAME = "{name}";
  /**
   * Distinct values a position keeps as they are before it becomes {@code {name}}: a few versions or
   * sections ({@code /api/v1}, {@code /docs/intro}) stay apart, and 20 early names of a position are few next
   * to the default cap of 500 endpoints.
   */
  public static final int DEFAULT_SLUG_THRESHOLD = 20;
  /** Positions tracked at once; bounds the memory of learning together with the threshold. */
  static final int MAX_POSITIONS = 2048;
  /** Longer prefixes are not learned, so that the keys of tracked positions stay small. */
  static final int MAX_POSITION_KEY = 512;

  private final List<RoutePattern> routes;
  private final int maxEndpoints;
  private final int slugThreshold;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, Position> positions = new ConcurrentHashMap<>();
  private final AtomicInteger positionCount = new AtomicInteger();
  /**
   * Counts the changes that make an earlier name wrong (a reset, a position that became {@code {name}}), so
   * that a {@link LocalCache} forgets what it learnt before one.
   */
  private final AtomicInteger generation = new AtomicInteger();

  /** With the default slug threshold, {@value #DEFAULT_SLUG_THRESHOLD}. */
  public EndpointTemplater(List<String> routes, int maxEndpoints) {
    this(routes, maxEndpoints, DEFAULT_SLUG_THRESHOLD);
  }

  /** {@code slugThreshold} 0 turns learning of names off. */
  public EndpointTemplater(List<String> routes, int maxEndpoints, int slugThreshold) {
    this(routes, maxEndpoints, slugThreshold, List.of());
  }

  /**
   * @param secretSegments path segments that hold secrets ({@code redact.path-segments}): named {@value #REDACTED}, so
   *                       that none reaches an endpoint name, a label or a log
   */
  public EndpointTemplater(List<String> routes, int maxEndpoints, int slugThreshold,
      List<java.util.regex.Pattern> secretSegments) {
    this.secretSegments = List.copyOf(secretSegments);
    if (maxEndpoints <= 0) {
      throw new IllegalArgumentException("max endpoints must be positive: " + maxEndpoints);
    }
    if (slugThreshold < 0) {
      throw new IllegalArgumentException("slug threshold must not be negative: " + slugThreshold);
    }
    List<RoutePattern> parsed = new ArrayList<>(routes.size());
    for (String r : routes) {
      parsed.add(RoutePattern.parse(r));
    }
    this.routes = List.copyOf(parsed);
    this.maxEndpoints = maxEndpoints;
    this.slugThreshold = slugThreshold;
  }

  /** The endpoint of a request; {@code uri} may carry a query string or be in absolute form. */
  public String endpointOf(String method, String uri) {
    String m = method.toUpperCase(Locale.ROOT);
    String[] segments = split(pathOf(uri));
    for (int i = 0; i < segments.length; i++) {
      segments[i] = decodeSegment(withoutParameters(segments[i]));
      if (!secretSegments.isEmpty() && secret(segments[i])) {
        segments[i] = REDACTED;
      }
    }
    for (RoutePattern route : routes) {
      if (route.matches(m, segments)) {
        return admit(m + " " + route.template());
      }
    }
    return admit(template(m, segments));
  }

  /**
   * The endpoint of a request with its Content-Type: a gRPC call (a POST of {@code application/grpc*}) is {@code grpc} and its
   * path as it is ({@code grpc /shop.Catalog/GetProduct}), never templated (a gRPC path names a method, not a
   * resource); any other request as {@link #endpointOf(String, String)}.
   */
  public String endpointOf(String method, String uri, String contentType) {
    // a gRPC call is a POST: any other method with gRPC's Content-Type is an ordinary request (named, templated and
    // masked as one), so a client cannot make the tap read a path as a gRPC method (and ask a backend's reflection)
    if ("POST".equalsIgnoreCase(method) && contentType != null && dev.shadowparity.grpc.GrpcPath.isGrpc(contentType)) {
      return grpcEndpointOf(uri);
    }
    return endpointOf(method, uri);
  }

  /**
   * {@code grpc} and the call's path: a path of gRPC's shape ({@code /package.Service/Method}) as it is, any other
   * with every character but letters, digits, {@code _ . - /} percent-encoded, so that no name carries control
   * characters or spaces into labels and logs. Query strings never count.
   */
  public String grpcEndpointOf(String uri) {
    String path = pathOf(uri);
    if (dev.shadowparity.grpc.GrpcPath.parse(path) != null) {
      return admit(GRPC_PREFIX + path);
    }
    StringBuilder sb = new StringBuilder(GRPC_PREFIX.length() + path.length());
    sb.append(GRPC_PREFIX);
    byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length && sb.length() < 1024; i++) {
      int b = bytes[i] & 0xff;
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '.' || b == '-'
          || b == '/') {
        sb.append((char) b);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
      }
    }
    return admit(sb.toString());
  }

  /** The "method" of a gRPC endpoint's name. */
  public static final String GRPC_PREFIX = "grpc ";

  /** The name of a path segment that holds a secret ({@code redact.path-segments}). */
  public static final String REDACTED = "{redacted}";
  private final List<java.util.regex.Pattern> secretSegments;

  private boolean secret(String segment) {
    for (java.util.regex.Pattern p : secretSegments) {
      if (p.matcher(segment).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A segment without its {@code ;name=value} path parameters ({@code cart;jsessionid=A1B2} is {@code cart}): a
   * session id or a version there is no part of what resource it is, and must not reach a name or a label.
   */
  static String withoutParameters(String segment) {
    int semi = segment.indexOf(';');
    return semi < 0 ? segment : segment.substring(0, semi);
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

  /** Forgets the endpoints seen, so that the cap counts afresh, and the positions learned. */
  public void reset() {
    synchronized (seen) {
      seen.clear();
      positions.clear();
      positionCount.set(0);
      generation.incrementAndGet();
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
   * endpoint cap counts afresh, and when a position becomes {@code {name}}, so that no earlier name of it is
   * answered. Targets longer than {@value #CACHE_MAX_URI} characters are not kept. Not thread-safe.
   */
  public final class LocalCache {
    private final String[] methods = new String[CACHE_SLOTS];
    private final String[] uris = new String[CACHE_SLOTS];
    private final String[] endpoints = new String[CACHE_SLOTS];
    private final int[] generations = new int[CACHE_SLOTS];

    private LocalCache() {}

    /** As {@link EndpointTemplater#endpointOf(String, String, String)}: a gRPC call by its path, never cached here. */
    public String endpointOf(String method, String uri, String contentType) {
      if (contentType != null && dev.shadowparity.grpc.GrpcPath.isGrpc(contentType)) {
        return grpcEndpointOf(uri);
      }
      return endpointOf(method, uri);
    }

    public String endpointOf(String method, String uri) {
      int g = generation.get();
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
        generations[i] = g; // read before the lookup: a change since then makes the slot stale at once
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

  /**
   * A path segment percent-decoded as UTF-8, for names that read as the client meant them and are one name
   * however the client encoded them. Never fails: a {@code %} not followed by two hex digits stays as it is,
   * and bytes that are not valid UTF-8 stay percent-encoded. Also stay percent-encoded, with upper-case hex
   * (RFC 3986 6.2.2.1), the characters that would change what a name means or how it shows: {@code /}, so a
   * segment stays one segment; {@code %}, {@code ?} and {@code #}, so a name reads back as the same path;
   * white space, so a name stays {@code METHOD path}; and control and format characters ({@code %00} to
   * {@code %1F}, {@code %7F}, bidirectional overrides), which must not reach metric labels, pages or logs.
   * {@code +} is not a space in a path.
   */
  static String decodeSegment(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && s.charAt(i) != '%' && s.charAt(i) >= 0x20 && s.charAt(i) < 0x7F) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n).append(s, 0, i);
    byte[] bytes = null;
    while (i < n) {
      if (isEscape(s, i)) {
        if (bytes == null) {
          bytes = new byte[n / 3];
        }
        int len = 0;
        while (isEscape(s, i)) {
          bytes[len++] = (byte) (Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
          i += 3;
        }
        appendUtf8(out, bytes, len);
      } else {
        int cp = s.codePointAt(i);
        if (cp != '%' && keepEncoded(cp)) { // a raw control character: as if it had come encoded
          byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          appendEscaped(out, raw, 0, raw.length);
        } else {
          out.appendCodePoint(cp);
        }
        i += Character.charCount(cp);
      }
    }
    return out.toString();
  }

  private static boolean isEscape(String s, int i) {
    return i + 2 < s.length() && s.charAt(i) == '%' && hexDigit(s.charAt(i + 1)) && hexDigit(s.charAt(i + 2));
  }

  private static boolean keepEncoded(int cp) {
    return cp == '/' || cp == '%' || cp == '?' || cp == '#' || cp == ';' || Character.isISOControl(cp) || Character.isSpaceChar(cp)
        || Character.getType(cp) == Character.FORMAT;
  }

  /** Decoded bytes: each valid UTF-8 sequence as its character (or its escapes), each other byte as its escape. */
  private static void appendUtf8(StringBuilder out, byte[] b, int len) {
    int i = 0;
    while (i < len) {
      int n = utf8Length(b, i, len);
      if (n == 0) {
        appendEscaped(out, b, i, 1);
        i++;
        continue;
      }
      int cp = n == 1 ? b[i] : b[i] & (0xFF >> (n + 1));
      for (int k = 1; k < n; k++) {
        cp = (cp << 6) | (b[i + k] & 0x3F);
      }
      if (keepEncoded(cp)) {
        appendEscaped(out, b, i, n);
      } else {
        out.appendCodePoint(cp);
      }
      i += n;
    }
  }

  /**
   * The length of the valid UTF-8 sequence at {@code i}, or 0: no overlong forms, surrogates or code points past
   * U+10FFFF (the ranges of the second byte are those of RFC 3629's table).
   */
  private static int utf8Length(byte[] b, int i, int len) {
    int lead = b[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (lead < 0x80) {
      return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      lo = lead == 0xE0 ? 0xA0 : 0x80;
      hi = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      lo = lead == 0xF0 ? 0x90 : 0x80;
      hi = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return 0;
    }
    if (i + n > len) {
      return 0;
    }
    for (int k = 1; k < n; k++) {
      int c = b[i + k] & 0xFF;
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
        return 0;
      }
    }
    return n;
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static void appendEscaped(StringBuilder out, byte[] b, int from, int n) {
    for (int k = from; k < from + n; k++) {
      out.append('%').append(HEX[(b[k] >> 4) & 0xF]).append(HEX[b[k] & 0xF]);
    }
  }

  /** {@code METHOD /path} with ids and learned names templated; {@code segments} already decoded. */
  private String template(String method, String[] segments) {
    String[] templated = new String[segments.length];
    for (int i = 0; i < segments.length; i++) {
      templated[i] = templateSegment(segments[i]);
    }
    StringBuilder sb = new StringBuilder(method.length() + 64).append(method).append(' ');
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      boolean learnable = slugThreshold > 0 && i > 0 && !s.isEmpty() && templated[i] == s // not an id
          && (i + 1 == segments.length || templated[i + 1] == segments[i + 1]); // nor followed by one
      if (learnable && sb.length() <= MAX_POSITION_KEY && isName(sb.toString(), s)) {
        templated[i] = NAME;
      }
      sb.append('/').append(templated[i]);
    }
    if (segments.length == 0) {
      sb.append('/');
    }
    return sb.toString();
  }

  /**
   * Whether {@code value} at the position {@code key} is to be named {@code {name}}: once the position took more
   * than {@code slugThreshold} distinct values. Counts the value, and the position when there is room for it.
   */
  private boolean isName(String key, String value) {
    Position p = positions.get(key);
    if (p == null) {
      p = positions.computeIfAbsent(key, k -> roomForPosition() ? new Position() : null); // null: not added
      if (p == null) {
        return false; // no room: named as it is, as before learning
      }
    }
    if (p.named) {
      return true;
    }
    long h = hash64(value);
    synchronized (p) {
      if (p.named) {
        return true;
      }
      if (p.fixed) {
        return false;
      }
      for (int i = 0; i < p.count; i++) {
        if (p.values[i] == h) {
          if (p.hits[i] < Integer.MAX_VALUE) {
            p.hits[i]++;
          }
          return false;
        }
      }
      if (p.count >= slugThreshold && longTailed(p)) {
        p.named = true;
        p.values = null;
        p.hits = null;
        generation.incrementAndGet(); // after named: a cache that sees the new generation sees the position named
        return true;
      }
      if (p.count == 2 * slugThreshold) {
        // twice the threshold of values asked for again and again: a large but fixed set (the collections of an
        // API), never names; it keeps its names as they are
        p.fixed = true;
        p.values = null;
        p.hits = null;
        return false;
      }
      if (p.count == p.values.length) {
        int size = Math.min(2 * slugThreshold, p.count * 2);
        p.values = Arrays.copyOf(p.values, size);
        p.hits = Arrays.copyOf(p.hits, size);
      }
      p.hits[p.count] = 1;
      p.values[p.count++] = h;
      return false;
    }
  }

  /** Takes one of the {@value #MAX_POSITIONS} places, if one is left. */
  private boolean roomForPosition() {
    return positionCount.getAndUpdate(c -> Math.min(c + 1, MAX_POSITIONS)) < MAX_POSITIONS;
  }

  /** Positions tracked, learned or not; for tests of the memory bound. */
  int trackedPositions() {
    return positions.size();
  }

  /**
   * Whether a position's values have the long tail of names (most asked for once: user names, slugs) rather than
   * the repeated hits of a fixed set (an API's collections, each listed again and again).
   */
  private static boolean longTailed(Position p) {
    int once = 0;
    for (int i = 0; i < p.count; i++) {
      once += p.hits[i] == 1 ? 1 : 0;
    }
    return 2 * once >= p.count;
  }

  /**
   * A position being learned: hashes of the distinct values it took and how often each, until it is {@code {name}}
   * or known to be a fixed set.
   */
  private static final class Position {
    long[] values = new long[4];
    int[] hits = new int[4];
    int count;
    volatile boolean named;
    boolean fixed;
  }

  /** 64 bits, so that the distinct values of a position are counted right without keeping their text. */
  private static long hash64(String s) {
    long h = 0xcbf29ce484222325L; // FNV-1a over UTF-16 units
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
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
