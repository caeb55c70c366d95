package dev.shadowparity.tap.impl;

import dev.shadowparity.config.TapConfig;
import dev.shadowparity.http.Backend;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * How a client's request becomes a request to one backend (OLD, NEW or the secondary OLD): its address (made once:
 * the client would parse the host for every request), target under the backend's base path, Host and, when
 * configured, the X-Forwarded headers. Shared by the primary and the shadow path.
 */
final class BackendRequests {

  final Backend old;
  final Backend neu;
  /** The secondary OLD, or null. */
  final Backend secondary;
  private final TapConfig tap;
  private final long connectTimeoutMs;
  private final SocketAddress oldAddress;
  private final SocketAddress newAddress;
  private final SocketAddress secondaryAddress;
  private final String oldName;
  private final String newName;
  private final String secondaryName;

  BackendRequests(TapConfig tap) {
    this.tap = tap;
    this.old = Backend.parse("old", tap.old());
    this.neu = Backend.parse("new", tap.neu());
    this.secondary = tap.oldSecondary() == null ? null : Backend.parse("old-secondary", tap.oldSecondary());
    this.connectTimeoutMs = tap.timeouts().connectTimeout().toMillis();
    this.oldAddress = SocketAddress.inetSocketAddress(old.port(), old.host());
    this.newAddress = SocketAddress.inetSocketAddress(neu.port(), neu.host());
    this.secondaryAddress = secondary == null ? null : SocketAddress.inetSocketAddress(secondary.port(), secondary.host());
    this.oldName = tlsName(old, tap.tls().old());
    this.newName = tlsName(neu, tap.tls().neu());
    this.secondaryName = secondary == null ? null : tlsName(secondary, tap.tls().oldSecondary());
  }

  /**
   * The host a request to a backend names to the HTTP client: for TLS, the name sent as SNI and verified in the
   * certificate ({@code server-name}, else the URL's host). The connection goes to the URL's address whatever it is,
   * and the Host header is always set by {@link #proxyHeaders}.
   */
  private static String tlsName(Backend backend, dev.shadowparity.config.TlsConfig.Backend tls) {
    return backend.ssl() && tls.serverName() != null ? tls.serverName() : backend.host();  }

  /**
   * Options for a backend request; {@code h} is a fresh map of this request's own, changed in place by
   * {@link #proxyHeaders}, or null when the headers are set on the request later. The target is the head's (origin-form,
   * never the client's absolute-form with its userinfo).
   */
  RequestOptions options(HttpServerRequest req, ClientRequestHead head, Backend backend, MultiMap h) {
    if (h != null) {
      proxyHeaders(req, head, backend, h);
    }
    String base = backend.basePath();
    String uri = head.uri();
    return new RequestOptions()
        .setMethod(req.method())
        .setServer(backend == old ? oldAddress : backend == neu ? newAddress : secondaryAddress)
        .setHost(backend == old ? oldName : backend == neu ? newName : secondaryName)
        .setPort(backend.port())
        .setSsl(backend.ssl())
        // "OPTIONS *" asks about the server as a whole, whatever its base path
        .setURI(base.isEmpty() || uri.equals("*") ? uri : base + uri)
        .setHeaders(h)
        .setFollowRedirects(false)
        .setConnectTimeout(connectTimeoutMs);
  }

  /**
   * Sets the Host a backend gets (the head's, which for an absolute-form target is its authority, or the backend's
   * own per {@code host-header}) and, when configured, the X-Forwarded headers, in {@code h}.
   */
  void proxyHeaders(HttpServerRequest req, ClientRequestHead head, Backend backend, MultiMap h) {
    String clientHost = head.host();
    h.set("host", tap.hostHeader().equals("target") || clientHost == null ? backend.authority() : clientHost);
    if (tap.forwardedHeaders()) {
      String remote = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
      if (remote != null) {
        String prior = h.get("x-forwarded-for");
        h.set("x-forwarded-for", prior == null ? remote : prior + ", " + remote);
      }
      h.set("x-forwarded-proto", req.isSSL() ? "https" : "http");
      if (clientHost != null) {
        h.set("x-forwarded-host", clientHost);
      }
    }
  }
}
