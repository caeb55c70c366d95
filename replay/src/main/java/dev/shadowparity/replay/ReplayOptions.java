package dev.shadowparity.replay;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to replay: the targets, pacing and filters. Fluent setters; defaults in the {@code DEFAULT_*} constants.
 */
public final class ReplayOptions {

  public static final int DEFAULT_CONCURRENCY = 16;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Methods replayed without {@code --allow-unsafe}. */
  public static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  /** Sent with every replayed request so that a stack can tell replayed traffic (and suppress side effects). */
  public static final String REPLAY_HEADER = "X-Parity-Replay";

  private String oldUrl;
  private String newUrl;
  private CaptureFormat format;
  private int concurrency = DEFAULT_CONCURRENCY;
  private double rate;
  private double speed;
  private long limit;
  private Pattern include;
  private Pattern exclude;
  private boolean allowUnsafe;
  private boolean noiseProbe;
  private List<String> hosts = List.of();
  private Duration timeout = DEFAULT_TIMEOUT;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

  /** OLD's base URL; {@code null} compares NEW with the responses recorded in the files. */
  public String oldUrl() {
    return oldUrl;
  }

  public ReplayOptions setOldUrl(String oldUrl) {
    this.oldUrl = oldUrl;
    return this;
  }

  public String newUrl() {
    return newUrl;
  }

  public ReplayOptions setNewUrl(String newUrl) {
    this.newUrl = Objects.requireNonNull(newUrl, "newUrl");
    return this;
  }

  /** The format of every file, or {@code null} to tell each file's from its content. */
  public CaptureFormat format() {
    return format;
  }

  public ReplayOptions setFormat(CaptureFormat format) {
    this.format = format;
    return this;
  }

  public int concurrency() {
    return concurrency;
  }

  public ReplayOptions setConcurrency(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    this.concurrency = concurrency;
    return this;
  }

  /** Requests per second at most; 0 for no cap. */
  public double rate() {
    return rate;
  }

  public ReplayOptions setRate(double rate) {
    if (rate < 0 || Double.isNaN(rate)) {
      throw new IllegalArgumentException("rate must not be negative: " + rate);
    }
    this.rate = rate;
    return this;
  }

  /** Replays with the recorded gaps divided by this factor; 0 ignores the recorded times. */
  public double speed() {
    return speed;
  }

  public ReplayOptions setSpeed(double speed) {
    if (speed < 0 || Double.isNaN(speed)) {
      throw new IllegalArgumentException("speed must not be negative: " + speed);
    }
    this.speed = speed;
    return this;
  }

  /** Requests sent at most (skipped ones do not count); 0 for all. */
  public long limit() {
    return limit;
  }

  public ReplayOptions setLimit(long limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    this.limit = limit;
    return this;
  }

  /** Only requests whose {@code METHOD target} (e.g. {@code GET /api/users/7?x=1}) this finds are replayed. */
  public Pattern include() {
    return include;
  }

  public ReplayOptions setInclude(Pattern include) {
    this.include = include;
    return this;
  }

  /** Requests whose {@code METHOD target} this finds are not replayed. */
  public Pattern exclude() {
    return exclude;
  }

  public ReplayOptions setExclude(Pattern exclude) {
    this.exclude = exclude;
    return this;
  }

  public boolean allowUnsafe() {
    return allowUnsafe;
  }

  public ReplayOptions setAllowUnsafe(boolean allowUnsafe) {
    this.allowUnsafe = allowUnsafe;
    return this;
  }

  /**
   * Asks OLD every request twice: what differs between its two answers is noise for that exchange and is
   * learned for the endpoint (needs {@link #oldUrl()}).
   */
  public boolean noiseProbe() {
    return noiseProbe;
  }

  /**
   * The hosts whose requests are replayed ({@code shop.example}, or with a port, {@code 127.0.0.1:8001}); requests to
   * others are counted as {@code other-host}. Empty: for a HAR file, the host most of its requests went to (a browser
   * also fetches fonts and analytics from others); for other formats, every host.
   */
  public List<String> hosts() {
    return hosts;
  }

  public ReplayOptions setHosts(List<String> hosts) {
    List<String> clean = new java.util.ArrayList<>();
    for (String h : hosts == null ? List.<String>of() : hosts) {
      String t = h.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.isEmpty() || t.contains("/") || t.contains("@") || t.contains(" ")) {
        throw new IllegalArgumentException("--host: '" + h + "' is not a host name (host or host:port, no scheme or path)");
      }
      clean.add(t);
    }
    this.hosts = List.copyOf(clean);
    return this;
  }

  /** Whether a request to {@code host} (as the capture names it) goes to one of {@code wanted}. */
  public static boolean hostMatches(String host, List<String> wanted) {
    if (host == null) {
      return true; // a capture that does not say: kept
    }
    String bare = withoutPort(host);
    boolean hostHasPort = hasPort(host);
    for (String w : wanted) {
      if (w.equals(host)) {
        return true;
      }
      boolean wantedHasPort = hasPort(w);
      if (!wantedHasPort && withoutPort(w).equals(bare)) {
        return true; // a name without a port: any port
      }
      if (wantedHasPort && !hostHasPort && withoutPort(w).equals(bare) && (w.endsWith(":80") || w.endsWith(":443"))) {
        return true; // a capture leaves the default port out
      }
    }
    return false;
  }

  private static boolean hasPort(String host) {
    return host.startsWith("[") ? host.contains("]:") : host.indexOf(':') >= 0;
  }

  private static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  public ReplayOptions setNoiseProbe(boolean noiseProbe) {
    this.noiseProbe = noiseProbe;
    return this;
  }

  /** Deadline for each backend's whole answer. */
  public Duration timeout() {
    return timeout;
  }

  public ReplayOptions setTimeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public ReplayOptions setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    return this;
  }
}
