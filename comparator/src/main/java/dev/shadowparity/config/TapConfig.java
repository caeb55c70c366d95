package dev.shadowparity.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tap's settings, from the top level of the config file; command-line flags override them.
 *
 * @param listen           where the proxy listens, {@code HOST:PORT}
 * @param admin            where the admin API listens, {@code HOST:PORT}
 * @param old              the OLD backend's base URL
 * @param neu              the NEW backend's base URL
 * @param sampleRate       fraction of eligible requests mirrored to NEW (0..1)
 * @param sticky           sample by a hash of {@code header:NAME} or {@code cookie:NAME} instead of at random
 * @param mirrorMethods    methods mirrored to NEW
 * @param timeouts         per backend
 * @param capture          NDJSON capture of compared exchanges
 * @param adminToken       bearer token required by the admin API; env PARITY_ADMIN_TOKEN also works
 * @param hostHeader       the Host sent to each backend: {@code client} (as received) or {@code target}
 * @param forwardedHeaders add X-Forwarded-For/Proto/Host
 * @param oldSecondary     a second OLD instance asked every mirrored request as well (or {@code null}): what
 *                         differs between the two OLD answers is noise, not a mismatch
 * @param store            where the evidence is kept across restarts (an SQLite file), and how often it is flushed
 * @param adminHosts       names the admin port answers to besides IP addresses, {@code localhost} and the admin's
 *                         own host: a DNS name it is reached by ({@code tap.internal}), {@code .domain} for a
 *                         domain and its subdomains, or {@code *} for any (no Host check; DNS rebinding then works)
 * @param adminInsecure    serve the admin API on a non-loopback address without a token (refused otherwise)
 * @param tls              TLS to each {@code https://} backend: extra CAs, client certificate, server name, hostname
 *                         verification, minimum version ({@link TlsConfig}; docs/protocols.md)
 * @param listenTls        TLS on the listen port (certificate and key, reloaded when they change), or {@code null}
 * @param protocol         the HTTP version spoken to each backend ({@code http/1.1} by default; docs/protocols.md)
 *
 * <p>Why one file of this length: every tap key with its check and default, its nested blocks (timeouts, capture,
 * store) and the named command-line overrides, so that a key is read, checked and overridden in one place.
 */
public record TapConfig(String listen, String admin, String old, @JsonProperty("new") String neu, Double sampleRate, String sticky,
    List<String> mirrorMethods, TimeoutsConfig timeouts, CaptureConfig capture, String adminToken,
    String hostHeader, Boolean forwardedHeaders, String oldSecondary, StoreConfig store, List<String> adminHosts,
    Boolean adminInsecure, TlsConfig tls, TlsConfig.Listen listenTls, ProtocolConfig protocol) {

  public static final String DEFAULT_LISTEN = "127.0.0.1:8080";
  public static final String DEFAULT_ADMIN = "127.0.0.1:9090";
  public static final double DEFAULT_SAMPLE_RATE = 1.0;
  public static final List<String> DEFAULT_MIRROR_METHODS = List.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> HOST_HEADER_MODES = Set.of("client", "target");

  public TapConfig {
    listen = listen == null ? DEFAULT_LISTEN : checkHostPort(listen, "listen");
    admin = admin == null ? DEFAULT_ADMIN : checkHostPort(admin, "admin");
    if (old != null) {
      checkUrl(old, "old");
    }
    if (neu != null) {
      checkUrl(neu, "new");
    }
    sampleRate = checkRate(sampleRate, DEFAULT_SAMPLE_RATE, "sample-rate");
    if (sticky != null && (!(sticky.startsWith("header:") || sticky.startsWith("cookie:")) || sticky.endsWith(":"))) {
      throw new InvalidValueException("sticky", "'" + sticky + "' must be header:NAME or cookie:NAME");
    }
    mirrorMethods = methods(mirrorMethods == null ? DEFAULT_MIRROR_METHODS : mirrorMethods, "mirror-methods");
    timeouts = timeouts == null ? TimeoutsConfig.DEFAULTS : timeouts;
    capture = capture == null ? CaptureConfig.NONE : capture;
    hostHeader = hostHeader == null ? "client" : hostHeader.toLowerCase(Locale.ROOT);
    if (!HOST_HEADER_MODES.contains(hostHeader)) {
      throw new InvalidValueException("host-header", "must be client or target, got '" + hostHeader + "'");
    }
    forwardedHeaders = forwardedHeaders != null && forwardedHeaders;
    if (oldSecondary != null) {
      checkUrl(oldSecondary, "old-secondary");
    }
    store = store == null ? StoreConfig.MEMORY : store;
    adminHosts = adminHosts(adminHosts, "admin-hosts");
    adminInsecure = adminInsecure != null && adminInsecure;
    tls = tls == null ? TlsConfig.NONE : tls;
    protocol = protocol == null ? ProtocolConfig.DEFAULTS : protocol;
    protocol.checkSchemes(old, neu, oldSecondary);
  }

  public static final TapConfig DEFAULTS = new TapConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null);

  /** Whether a bearer token protects the admin API (an empty one is none). */
  public boolean hasAdminToken() {
    return adminToken != null && !adminToken.isEmpty();
  }

  /**
   * Why the admin API may not start as configured, or {@code null}: on an address other pods or hosts can reach,
   * without a token, anyone who reaches it can read the evidence and reset it, unless {@code admin-insecure} says
   * that is intended.
   */
  public String adminExposure() {
    String host = admin.substring(0, admin.lastIndexOf(':'));
    if (hasAdminToken() || adminInsecure || isLoopbackHost(host)) {
      return null;
    }
    return "the admin API would listen on " + admin + " (not loopback) without a token: anyone who reaches it could read "
        + "the evidence and reset it. Set admin-token in the config or PARITY_ADMIN_TOKEN, listen on 127.0.0.1, or "
        + "accept the risk with --admin-insecure (config key admin-insecure: true)";
  }

  /** Whether an admin host is a wildcard address (every interface): {@code 0.0.0.0}, {@code ::}, {@code [::]}. */
  public static boolean isWildcardHost(String host) {
    String h = host.trim();
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("*") || h.isEmpty();
  }

  /**
   * Whether a listen host is loopback by its text alone: {@code localhost}, {@code 127.x.x.x}, {@code ::1}. A name
   * that merely resolves to loopback counts as not loopback (the check never depends on DNS).
   */
  public static boolean isLoopbackHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("::1") || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  static List<String> adminHosts(List<String> values, String key) {
    List<String> checked = ConfigChecks.strings(values, key);
    for (int i = 0; i < checked.size(); i++) {
      checkAdminHost(checked.get(i), key + "[" + i + "]");
    }
    return checked;
  }

  /** One name of {@code admin-hosts}: a host name, {@code .domain}, {@code *} or a bracketed IPv6 address. */
  static void checkAdminHost(String value, String key) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!(v.equals("*") || v.matches("\\.?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\\.?") || v.matches("\\[[0-9a-f:.]+]"))) {
      throw new InvalidValueException(key, "'" + value + "' must be a host name without scheme or port (tap.internal), "
          + ".domain for a domain and its subdomains, or *");
    }
  }


  /** Command-line flags over this config: set what was given, then {@link Overrides#apply()}. */
  public Overrides override() {
    return new Overrides(this);
  }

  /**
   * Command-line values that win over the file's, by name; a value left unset (or set to null) keeps the file's.
   * {@link #apply()} checks them as the file's are checked, naming the flag ({@code --sample-rate: ...}).
   */
  public static final class Overrides {
    private final TapConfig base;
    private String listen;
    private String admin;
    private String old;
    private String neu;
    private Double sampleRate;
    private String captureFile;
    private String oldSecondary;
    private String storeFile;
    private String tapId;
    private String adminToken;
    private List<String> adminHosts;
    private Boolean adminInsecure;

    private Overrides(TapConfig base) {
      this.base = base;
    }

    public Overrides listen(String hostPort) {
      this.listen = hostPort;
      return this;
    }

    public Overrides admin(String hostPort) {
      this.admin = hostPort;
      return this;
    }

    public Overrides old(String url) {
      this.old = url;
      return this;
    }

    public Overrides neu(String url) {
      this.neu = url;
      return this;
    }

    public Overrides sampleRate(Double rate) {
      this.sampleRate = rate;
      return this;
    }

    public Overrides captureFile(String file) {
      this.captureFile = file;
      return this;
    }

    public Overrides oldSecondary(String url) {
      this.oldSecondary = url;
      return this;
    }

    /** The admin API's bearer token (the CLI takes it from {@code PARITY_ADMIN_TOKEN} when the file sets none). */
    public Overrides adminToken(String token) {
      this.adminToken = token;
      return this;
    }

    /** The names the admin answers to ({@code --admin-host}): given, they replace the file's {@code admin-hosts}. */
    public Overrides adminHosts(List<String> names) {
      this.adminHosts = names == null || names.isEmpty() ? null : names;
      return this;
    }

    /** {@code --admin-insecure}: true serves a non-loopback admin without a token; null or false keeps the file's. */
    public Overrides adminInsecure(Boolean insecure) {
      this.adminInsecure = insecure != null && insecure ? Boolean.TRUE : null;
      return this;
    }

    /** The store file: a path, or {@code none} for memory only. */
    /** Which tap writes the store ({@code --tap-id}); null keeps the file's or the host name. */
    public Overrides tapId(String id) {
      this.tapId = id;
      return this;
    }

    public Overrides storeFile(String file) {
      this.storeFile = file;
      return this;
    }

    /**
     * The config with these values.
     *
     * @throws IllegalArgumentException {@code --flag: problem} for a bad value
     */
    public TapConfig apply() {
      TapConfig b = base;
      try {
        if (adminHosts != null) {
          for (String name : adminHosts) {
            checkAdminHost(name == null ? "" : name, "admin-host");
          }
        }
        return new TapConfig(listen != null ? listen : b.listen, admin != null ? admin : b.admin,
            old != null ? old : b.old, neu != null ? neu : b.neu, sampleRate != null ? sampleRate : b.sampleRate,
            b.sticky, b.mirrorMethods, b.timeouts,
            captureFile != null ? new CaptureConfig(captureFile, b.capture.maxBytes(), b.capture.keep(), b.capture.grpcBodies())
                : b.capture,
            adminToken != null ? adminToken : b.adminToken, b.hostHeader, b.forwardedHeaders,
            oldSecondary != null ? oldSecondary : b.oldSecondary,
            storeFile != null || tapId != null ? new StoreConfig(storeFile != null ? storeFile : b.store.file(),
                b.store.flush(), tapId != null ? tapId : b.store.tapId()) : b.store,
            adminHosts != null ? adminHosts : b.adminHosts, adminInsecure != null ? adminInsecure : b.adminInsecure,
            b.tls, b.listenTls, b.protocol);
      } catch (InvalidValueException e) {
        throw new IllegalArgumentException("--" + e.key() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The HTTP version the tap speaks to each backend: {@code protocol: h2c} for all of them, or per backend
   * {@code protocol: {old: h2c, new: h2, old-secondary: auto}} (a backend left out speaks {@code http/1.1}). Values:
   * {@code http/1.1}, {@code h2c} (HTTP/2 without TLS, prior knowledge), {@code h2} (HTTP/2 over TLS by ALPN),
   * {@code auto} (ALPN over TLS, HTTP/1.1 over plain TCP). See docs/protocols.md.
   */
  public record ProtocolConfig(String old, @JsonProperty("new") String neu, String oldSecondary) {
    public static final String DEFAULT = "http/1.1";
    public static final ProtocolConfig DEFAULTS = new ProtocolConfig(null, null, null);

    @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
    public ProtocolConfig {
      old = check(old, "old");
      neu = check(neu, "new");
      oldSecondary = check(oldSecondary, "old-secondary");
    }

    /** {@code protocol: h2c}: one protocol for every backend. */
    @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    public static ProtocolConfig all(String value) {
      if (dev.shadowparity.http.BackendProtocol.parse(value) == null) {
        throw new InvalidValueException("", problem(value));
      }
      return new ProtocolConfig(value, value, value);
    }

    private static String check(String value, String key) {
      if (value == null) {
        return DEFAULT;
      }
      if (dev.shadowparity.http.BackendProtocol.parse(value) == null) {
        throw new InvalidValueException(key, problem(value));
      }
      return value.trim().toLowerCase(Locale.ROOT);
    }

    private static String problem(String value) {
      return "'" + value + "' is not a backend protocol: write h2, h2c, http/1.1 or auto";
    }

    /** OLD's protocol. */
    public dev.shadowparity.http.BackendProtocol forOld() {
      return dev.shadowparity.http.BackendProtocol.parse(old);
    }

    /** NEW's protocol. */
    public dev.shadowparity.http.BackendProtocol forNew() {
      return dev.shadowparity.http.BackendProtocol.parse(neu);
    }

    /** The secondary OLD's protocol. */
    public dev.shadowparity.http.BackendProtocol forOldSecondary() {
      return dev.shadowparity.http.BackendProtocol.parse(oldSecondary);
    }

    /** Refuses h2c towards an https:// backend and h2 towards an http:// one (URLs not given yet are not checked). */
    void checkSchemes(String oldUrl, String newUrl, String secondaryUrl) {
      checkScheme(forOld(), oldUrl, "old");
      checkScheme(forNew(), newUrl, "new");
      checkScheme(forOldSecondary(), secondaryUrl, "old-secondary");
    }

    private static void checkScheme(dev.shadowparity.http.BackendProtocol p, String url, String key) {
      if (url == null) {
        return;
      }
      String why = p.mismatch(url.trim().toLowerCase(Locale.ROOT).startsWith("https:"));
      if (why != null) {
        throw new InvalidValueException("protocol." + key, why);
      }
    }
  }

  /**
   * The store of the evidence.
   *
   * @param file  the SQLite file, or a PostgreSQL database shared by a fleet of taps
   *              ({@code postgresql://user@host:5432/db}); {@code null} or {@code none}: in memory, gone when the tap
   *              stops (the command line's default is {@code ./parity.db})
   * @param flush how often counts and samples are written ({@code 1s} by default): a {@code kill -9} loses at
   *              most this much
   * @param tapId which tap writes (each row of a shared store says so); {@code null}: the host name (a pod's name)
   */
  public record StoreConfig(String file, String flush, String tapId) {
    public static final String DEFAULT_FLUSH = "1s";
    public static final StoreConfig MEMORY = new StoreConfig(null, null, null);

    public StoreConfig {
      flush = flush == null ? DEFAULT_FLUSH : flush;
      parseDuration(flush, "flush");
      if (tapId != null && (tapId.isBlank() || tapId.length() > 200 || tapId.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
        throw new InvalidValueException("tap-id", "'" + tapId + "' must be 1 to 200 printable characters");
      }
    }

    public StoreConfig(String file, String flush) {
      this(file, flush, null);
    }

    /** Never shows a password the store's URI may hold ({@code postgresql://user:PASSWORD@host/db}). */
    @Override
    public String toString() {
      String shown = file == null ? null : file.replaceFirst("(?i)^(postgres(?:ql)?://[^/@:]*):[^/@]*@", "$1:***@");
      return "StoreConfig[file=" + shown + ", flush=" + flush + ", tapId=" + tapId + "]";
    }

    /** Whether the evidence is kept only in memory. */
    public boolean inMemory() {
      return file == null || file.equals("none");
    }

    /** The file, or {@code null} for a store in memory or in PostgreSQL. */
    public java.nio.file.Path path() {
      return inMemory() || isDatabaseUri(file) ? null : java.nio.file.Path.of(file);
    }

    /** Whether {@code file} names a PostgreSQL database rather than a file. */
    public static boolean isDatabaseUri(String file) {
      String lower = file == null ? "" : file.toLowerCase(java.util.Locale.ROOT);
      return lower.startsWith("postgresql://") || lower.startsWith("postgres://");
    }

    public Duration flushInterval() {
      return parseDuration(flush, "flush");
    }
  }

  static String checkHostPort(String value, String key) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new InvalidValueException(key, "'" + value + "' must be HOST:PORT, e.g. 127.0.0.1:8080");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new InvalidValueException(key, "port " + port + " is out of range 0..65535");
      }
    } catch (NumberFormatException e) {
      throw new InvalidValueException(key, "'" + value.substring(colon + 1) + "' is not a port number", e);
    }
    return value;
  }

  static void checkUrl(String value, String key) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new InvalidValueException(key, "'" + value + "' must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8001");
      }
    } catch (URISyntaxException e) {
      throw new InvalidValueException(key, "'" + value + "' is not a URL: " + e.getReason(), e);
    }
  }

  static Double checkRate(Double rate, double dflt, String key) {
    if (rate == null) {
      return dflt;
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new InvalidValueException(key, "must be between 0 and 1 (e.g. 0.1 for 10%), got " + rate);
    }
    return rate;
  }

  static List<String> methods(List<String> values, String key) {
    List<String> checked = ConfigChecks.strings(values, key);
    for (int i = 0; i < checked.size(); i++) {
      if (!checked.get(i).matches("[A-Za-z]+")) {
        throw new InvalidValueException(key + "[" + i + "]", "'" + checked.get(i) + "' is not an HTTP method");
      }
    }
    return checked.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
  }

  /**
   * Timeouts, as durations ({@code 10s}, {@code 500ms}, {@code 2m}): per backend, and for the tap's own clients
   * (defaults as nginx's {@code client_header_timeout}, {@code keepalive_timeout} and {@code client_body_timeout}).
   *
   * @param old                   OLD's whole answer (the client gets 504 after it)
   * @param neu                   NEW's whole answer (counted as an error after it)
   * @param connect               opening a connection to either
   * @param newConnectionLifetime a connection to NEW (or the secondary OLD) is not reused once this old, so that a
   *                              change of the pods behind NEW's address (a canary Service that moves to new pods) is
   *                              followed within this time
   * @param clientHeader          a client's request head (request line and headers) must be complete this long after
   *                              its first byte (on a new connection: after the connection was accepted); then it gets
   *                              408 and the connection is closed (closed without an answer when it sent nothing)
   * @param clientKeepAlive       a kept-alive client connection with no request under way is closed after this long
   * @param clientBody            a client that sends no byte of its request body for this long, while the tap is
   *                              reading it, is cut off: the connection is closed and OLD's request reset
   * @param clientSend            a client that takes none of the answer the tap has for it for this long (its
   *                              connection's outgoing buffer stays full) is cut off, as nginx's {@code send_timeout}
   */
  public record TimeoutsConfig(String old, @JsonProperty("new") String neu, String connect, String newConnectionLifetime,
      String clientHeader, String clientKeepAlive, String clientBody, String clientSend) {
    public static final String DEFAULT_NEW_CONNECTION_LIFETIME = "30s";
    public static final String DEFAULT_CLIENT_HEADER = "60s";
    public static final String DEFAULT_CLIENT_KEEP_ALIVE = "75s";
    public static final String DEFAULT_CLIENT_BODY = "60s";
    public static final String DEFAULT_CLIENT_SEND = "60s";
    public static final TimeoutsConfig DEFAULTS = new TimeoutsConfig(null, null, null, null, null, null, null, null);

    public TimeoutsConfig {
      old = old == null ? "60s" : old;
      neu = neu == null ? "10s" : neu;
      connect = connect == null ? "5s" : connect;
      newConnectionLifetime = newConnectionLifetime == null ? DEFAULT_NEW_CONNECTION_LIFETIME : newConnectionLifetime;
      parseDuration(old, "old");
      parseDuration(neu, "new");
      parseDuration(connect, "connect");
      if (parseDuration(newConnectionLifetime, "new-connection-lifetime").toMillis() < 1) {
        throw new InvalidValueException("new-connection-lifetime", "must be at least 1ms, got " + newConnectionLifetime);
      }
      clientHeader = clientHeader == null ? DEFAULT_CLIENT_HEADER : clientHeader;
      clientKeepAlive = clientKeepAlive == null ? DEFAULT_CLIENT_KEEP_ALIVE : clientKeepAlive;
      clientBody = clientBody == null ? DEFAULT_CLIENT_BODY : clientBody;
      clientSend = clientSend == null ? DEFAULT_CLIENT_SEND : clientSend;
      atLeastOneMilli(clientHeader, "client-header");
      atLeastOneMilli(clientKeepAlive, "client-keep-alive");
      atLeastOneMilli(clientBody, "client-body");
      atLeastOneMilli(clientSend, "client-send");
    }

    private static void atLeastOneMilli(String value, String key) {
      if (parseDuration(value, key).toMillis() < 1) {
        throw new InvalidValueException(key, "must be at least 1ms, got " + value);
      }
    }

    /** How long a client may take to send a request head. */
    public Duration clientHeaderTimeout() {
      return parseDuration(clientHeader, "client-header");
    }

    /** How long a kept-alive client connection may stay idle between requests. */
    public Duration clientKeepAliveTimeout() {
      return parseDuration(clientKeepAlive, "client-keep-alive");
    }

    /** How long a client may send nothing while the tap reads its request body. */
    public Duration clientBodyTimeout() {
      return parseDuration(clientBody, "client-body");
    }

    /** How long a client may take nothing of an answer the tap has for it. */
    public Duration clientSendTimeout() {
      return parseDuration(clientSend, "client-send");
    }

    public Duration newConnectionMaxLifetime() {
      return parseDuration(newConnectionLifetime, "new-connection-lifetime");
    }

    public Duration oldTimeout() {
      return parseDuration(old, "old");
    }

    public Duration newTimeout() {
      return parseDuration(neu, "new");
    }

    public Duration connectTimeout() {
      return parseDuration(connect, "connect");
    }
  }

  /**
   * @param file     NDJSON file to append compared exchanges to; none when null
   * @param maxBytes rotate when the file reaches this size
   * @param keep     rotated files kept ({@code file.1} newest)
   */
  public record CaptureConfig(String file, Long maxBytes, Integer keep, Boolean grpcBodies) {
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final int DEFAULT_KEEP = 5;
    public static final CaptureConfig NONE = new CaptureConfig(null, null, null, null);

    public CaptureConfig {
      maxBytes = ConfigChecks.positive(maxBytes, DEFAULT_MAX_BYTES, "max-bytes");
      keep = ConfigChecks.nonNegative(keep, DEFAULT_KEEP, "keep");
      grpcBodies = grpcBodies != null && grpcBodies;
    }

    public CaptureConfig(String file, Long maxBytes, Integer keep) {
      this(file, maxBytes, keep, null);
    }
  }

  /** Parses {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
  public static Duration parseDuration(String text, String key) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim())), text, key);
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      switch (t.charAt(t.length() - 1)) {
        case 's':
          return positive(Duration.ofSeconds(n), text, key);
        case 'm':
          return positive(Duration.ofMinutes(n), text, key);
        case 'h':
          return positive(Duration.ofHours(n), text, key);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new InvalidValueException(key, "'" + text + "' is not a duration; write e.g. 500ms, 10s, 2m", e);
    }
    throw new InvalidValueException(key, "'" + text + "' is not a duration; write e.g. 500ms, 10s, 2m");
  }

  private static Duration positive(Duration d, String text, String key) {
    if (d.isZero() || d.isNegative()) {
      throw new InvalidValueException(key, "'" + text + "' must be more than zero");
    }
    return d;
  }
}
