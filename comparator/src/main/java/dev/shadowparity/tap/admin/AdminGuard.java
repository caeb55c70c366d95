package dev.shadowparity.tap.admin;

import dev.shadowparity.config.TapConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the admin port checks before any route runs, so that a web page the operator happens to visit can neither
 * read the evidence nor change it.
 *
 * <ul>
 *   <li><b>Host</b> (every route, {@code /health} included): an IP literal (a browser that sends one connected to that
 *       address, so the page's origin is the admin itself: DNS rebinding needs a name), {@code localhost}, the
 *       configured admin host when it is a name, and the names of {@code admin-hosts}; any port (a port-forward or a
 *       published container port changes it). Anything else: 403. A missing Host (HTTP/1.0; no browser omits it)
 *       passes.</li>
 *   <li><b>Cross-site</b> (every method but GET and HEAD: reset, accept, the gate's POST): refused when
 *       {@code Sec-Fetch-Site} is anything but {@code same-origin} or {@code none}, or when {@code Origin} is present
 *       and is not the admin's own (the same scheme-less authority as the request's Host, or a configured name).
 *       A client that sends neither (curl, controllers' webhooks) is no browser and passes.</li>
 *   <li><b>Token</b>: {@code Authorization: Bearer <token>}, the scheme in any case (RFC 7235); the token is compared
 *       as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken tells neither its bytes nor its
 *       length.</li>
 * </ul>
 */
final class AdminGuard {

  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");

  /** Names the admin answers to, lower case, without a trailing dot; {@code .suffix} entries match subdomains. */
  private final Set<String> names;
  private final List<String> suffixes;
  private final boolean anyHost;
  /** Names configured explicitly: an Origin with one of them is the admin's own, whatever its port. */
  private final Set<String> configured;
  private final byte[] tokenDigest;

  AdminGuard(String adminHostPort, List<String> adminHosts, String token) {
    Set<String> n = new LinkedHashSet<>();
    Set<String> c = new LinkedHashSet<>();
    List<String> s = new ArrayList<>();
    boolean any = false;
    n.add("localhost");
    String adminHost = normalize(adminHostPort.substring(0, adminHostPort.lastIndexOf(':')));
    if (!TapConfig.isWildcardHost(adminHost) && !isIpLiteral(adminHost)) {
      n.add(adminHost);
      c.add(adminHost);
    }
    for (String h : adminHosts) {
      String v = normalize(h);
      if (v.equals("*")) {
        any = true;
      } else if (v.startsWith(".")) {
        s.add(v);
      } else {
        n.add(v);
        c.add(v);
      }
    }
    this.names = Set.copyOf(n);
    this.configured = Set.copyOf(c);
    this.suffixes = List.copyOf(s);
    this.anyHost = any;
    this.tokenDigest = token == null || token.isEmpty() ? null : sha256(token);
  }

  /** The names listed in a refusal: what the operator may use, and how to add one. */
  String describeNames() {
    List<String> all = new ArrayList<>(names);
    all.addAll(suffixes.stream().map(x -> "*" + x).toList());
    return String.join(", ", all);
  }

  /** Whether the admin needs a token. */
  boolean tokenSet() {
    return tokenDigest != null;
  }

  /**
   * Why the request's Host is refused, or {@code null} when it is one of the admin's own. Two Host headers are
   * refused as well: which one would a check trust?
   */
  String refuseHost(HttpServerRequest req) {
    List<String> hosts = req.headers().getAll("host");
    if (hosts.size() > 1) {
      return "more than one Host header";
    }
    String host = hosts.isEmpty() ? null : hosts.get(0);
    if (host == null && req.version() == io.vertx.core.http.HttpVersion.HTTP_2 && req.authority() != null) {
      host = req.authority().toString();
    }
    if (host == null || anyHost) {
      return null;
    }
    String name = hostName(host);
    if (name != null && allowedName(name)) {
      return null;
    }
    return "this admin port does not answer to Host '" + printable(host) + "' (it answers to IP addresses and to "
        + describeNames() + "; a name of your own: admin-hosts in the config or --admin-host NAME)";
  }

  /**
   * Why a request that may change state is refused as coming from another site's page, or {@code null}. GET and HEAD
   * change nothing and pass.
   */
  String refuseCrossSite(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) {
      return null;
    }
    String site = req.getHeader("sec-fetch-site");
    if (site != null) {
      String s = site.trim().toLowerCase(Locale.ROOT);
      if (!s.equals("same-origin") && !s.equals("none")) {
        return "refused: a " + printable(s) + " request (Sec-Fetch-Site) may not change the admin's state; "
            + "use the admin page itself, or a client that is not a browser";
      }
    }
    List<String> origins = req.headers().getAll("origin");
    if (origins.isEmpty()) {
      return null;
    }
    if (origins.size() > 1 || !ownOrigin(origins.get(0), req.getHeader("host"))) {
      return "refused: a request from the page of another origin (Origin: " + printable(String.join(", ", origins))
          + ") may not change the admin's state; use the admin page itself (behind a proxy under another name: list the "
          + "name in admin-hosts), or a client that is not a browser";
    }
    return null;
  }

  /** Whether the request carries the token; always when none is set. */
  boolean authorized(HttpServerRequest req) {
    if (tokenDigest == null) {
      return true;
    }
    List<String> values = req.headers().getAll("authorization");
    if (values.size() != 1) {
      return false;
    }
    String given = values.get(0).strip();
    int space = indexOfWhitespace(given);
    if (space < 0 || !given.substring(0, space).equalsIgnoreCase("Bearer")) {
      return false;
    }
    return MessageDigest.isEqual(sha256(given.substring(space).strip()), tokenDigest);
  }

  private boolean allowedName(String name) {
    if (isIpLiteral(name) || names.contains(name)) {
      return true;
    }
    for (String suffix : suffixes) {
      if (name.endsWith(suffix) || name.equals(suffix.substring(1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an Origin is the admin's own: http or https, and either the request's own authority (a browser sends
   * both for the page's own requests) or a name configured explicitly, on any port (behind a TLS proxy the page's
   * origin is the proxy's).
   */
  private boolean ownOrigin(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin.trim());
    } catch (URISyntaxException e) {
      return false; // "null" (a sandboxed frame, a file, a redirect chain) included: it is no origin of ours
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      return false;
    }
    String originName = normalize(uri.getHost());
    if (configured.contains(originName)) {
      return true;
    }
    if (host == null) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    String originAuthority = originName + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort());
    String hostName = hostName(host);
    if (hostName == null) {
      return false;
    }
    int port = hostPort(host);
    return originAuthority.equals(hostName + ":" + (port < 0 ? defaultPort : port));
  }

  /** The name of a Host value ({@code name}, {@code name:port}, {@code [v6]:port}), normalized; null if malformed. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    String name;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0) {
        return null;
      }
      name = h.substring(0, end + 1);
      String rest = h.substring(end + 1);
      if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
        return null;
      }
      return IPV6.matcher(name).matches() ? name : null;
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      if (!h.substring(colon).matches(":\\d{1,5}")) {
        return null;
      }
      name = h.substring(0, colon);
    } else {
      name = h;
    }
    name = normalize(name);
    return NAME.matcher(name).matches() ? name : null;
  }

  private static int hostPort(String host) {
    String h = host.trim();
    int close = h.lastIndexOf(']');
    int colon = h.lastIndexOf(':');
    if (colon <= close) {
      return -1;
    }
    return Integer.parseInt(h.substring(colon + 1));
  }

  static boolean isIpLiteral(String name) {
    return IPV4.matcher(name).matches() || IPV6.matcher(name).matches();
  }

  /** Lower case, without the trailing dot of a fully qualified name. */
  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.length() > 1 && n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  /** A header value as it may be shown in an answer: printable ASCII, at most 100 characters. */
  private static String printable(String value) {
    String v = value.replaceAll("[^\\x20-\\x7e]", "?");
    return v.length() > 100 ? v.substring(0, 100) + "..." : v;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
