package dev.shadowparity.tap.impl;

import dev.shadowparity.config.EndpointConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.ledger.SkipReason;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether a request is mirrored to NEW: the method must be allowed (globally or for the
 * endpoint), then the request is sampled at the endpoint's rate, either at random or, with
 * {@code sticky}, by a hash of a header or cookie value, so that one user is always in or always out.
 */
public final class ShadowSampler {

  private final Set<String> methods;
  private final double rate;
  private final String stickyHeader;
  private final String stickyCookie;
  private final Map<String, EndpointConfig> endpoints;

  public ShadowSampler(TapConfig tap, Map<String, EndpointConfig> endpoints) {
    this.methods = Set.copyOf(tap.mirrorMethods());
    this.rate = tap.sampleRate();
    String sticky = tap.sticky();
    this.stickyHeader = sticky != null && sticky.startsWith("header:") ? sticky.substring(7) : null;
    this.stickyCookie = sticky != null && sticky.startsWith("cookie:") ? sticky.substring(7) : null;
    this.endpoints = endpoints;
  }

  /** {@code null} when the request is to be mirrored, else why not. */
  public SkipReason decide(HttpServerRequest req, String endpoint) {
    EndpointConfig ec = endpoints.get(endpoint);
    List<String> allowed = ec == null ? null : ec.mirrorMethods();
    String method = req.method().name();
    if (allowed != null ? !allowed.contains(method) : !methods.contains(method)) {
      return SkipReason.UNSAFE_METHOD;
    }
    double r = ec != null && ec.sampleRate() != null ? ec.sampleRate() : rate;
    if (r >= 1.0) {
      return null;
    }
    if (r <= 0.0) {
      return SkipReason.SAMPLED_OUT;
    }
    String key = stickyKey(req);
    double u = key == null ? ThreadLocalRandom.current().nextDouble() : unitHash(key);
    return u < r ? null : SkipReason.SAMPLED_OUT;
  }

  private String stickyKey(HttpServerRequest req) {
    if (stickyHeader != null) {
      return req.getHeader(stickyHeader);
    }
    if (stickyCookie != null) {
      Cookie c = req.getCookie(stickyCookie);
      return c == null ? null : c.getValue();
    }
    return null;
  }

  /** A stable value in [0, 1) from a string (64-bit FNV-1a, then the top 53 bits). */
  static double unitHash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33; // mix the high bits down: FNV's low bits are weak for short keys
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53;
  }
}
