package dev.shadowparity.tap.impl;

import dev.shadowparity.http.BackendClients;
import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.TapConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.ServerSSLOptions;
import dev.shadowparity.http.Backend;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxy instance on one event loop. The tap deploys one per event loop on the same port (Vert.x
 * spreads connections over them); each has its own OLD and NEW clients, bound to its event loop, so a
 * request never hops threads.
 */
public final class ProxyVerticle extends VerticleBase {

  /**
   * The protocols the proxy port offers in TLS's ALPN, most preferred first: HTTP/2, then HTTP/1.1. Set on the server
   * options always ({@link #proxyServerOptions}); they take effect once the port speaks TLS ({@code listen-tls}).
   */
  public static final List<HttpVersion> LISTEN_ALPN = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);
  /** The largest request or response head taken, HTTP/1 (request line or status line apart) and HTTP/2 alike. */
  static final int MAX_HEADER_BYTES = 64 * 1024;
  /** Requests an HTTP/2 client may have open at once on one connection (Vert.x's default; nginx's is 128). */
  static final int MAX_CONCURRENT_STREAMS = 100;
  /** HTTP/2 connections to one backend per event loop, each carrying as many requests at once as the backend allows. */
  static final int MAX_HTTP2_CONNECTIONS = 8;

  /**
   * What every instance shares; {@code clients} caps and times the client connections of them all; {@code listenTls} is
   * the listen port's TLS at start ({@code null}: plain HTTP), later replaced by {@link #updateSsl}.
   */
  public record Shared(TapConfig tap, ParityEngine engine, ComparePool pool,
      AtomicInteger shadowInFlight, AtomicInteger openExchanges, ByteBudget budget, int oldPoolSize, int newPoolSize,
      RefusedRequests refused, ClientConnections clients, ServerSSLOptions listenTls, BackendOptions backendOptions) {}

  /**
   * Each backend's client options, TLS included, built once before the instances start (their files are read then,
   * never on an event loop); each instance's clients copy them.
   *
   * @param secondary null without a secondary OLD
   */
  public record BackendOptions(HttpClientOptions old, HttpClientOptions neu, HttpClientOptions secondary) {

    /** The options of {@code tap}'s backends. */
    public static BackendOptions of(TapConfig tap) {
      HttpClientOptions common = new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(false)
          .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(MAX_HEADER_BYTES)
          // HTTP/2: heads as large as over HTTP/1; no server push (the tap relays none)
          .setInitialSettings(new Http2Settings(new HttpClientOptions().getInitialSettings())
              .setMaxHeaderListSize(MAX_HEADER_BYTES).setPushEnabled(false));
      return new BackendOptions(
          backendOptions(TlsOptions.client(common, Backend.parse("old", tap.old()), tap.tls().old()),
              tap.protocol().forOld(), tap.old()),
          backendOptions(TlsOptions.client(common, Backend.parse("new", tap.neu()), tap.tls().neu()),
              tap.protocol().forNew(), tap.neu()),
          tap.oldSecondary() == null ? null
              : backendOptions(TlsOptions.client(common, Backend.parse("old-secondary", tap.oldSecondary()),
                  tap.tls().oldSecondary()), tap.protocol().forOldSecondary(), tap.oldSecondary()));
    }
  }

  private final Shared shared;
  private final String host;
  private final int port;
  private HttpServer server;
  private HttpClient oldClient;
  private HttpClient newClient;
  private HttpClient secondaryClient;
  private ProxyHandler handler;

  public ProxyVerticle(Shared shared, String host, int port) {
    this.shared = shared;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    TapConfig tap = shared.tap();
    BackendOptions options = shared.backendOptions();
    oldClient = BackendClients.create(vertx, "OLD", new HttpClientOptions(options.old()),
        pool(new PoolOptions(), shared.oldPoolSize()));
    // connections to NEW age out, so that a canary Service that moves to other pods is followed (docs/rollouts.md)
    int lifetimeMs = (int) Math.min(Integer.MAX_VALUE, tap.timeouts().newConnectionMaxLifetime().toMillis());
    PoolOptions newPool = pool(new PoolOptions(), shared.newPoolSize()).setMaxLifetime(lifetimeMs)
        .setMaxLifetimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    newClient = BackendClients.create(vertx, "NEW", new HttpClientOptions(options.neu()), newPool);
    secondaryClient = tap.oldSecondary() == null ? null
        : BackendClients.create(vertx, "secondary OLD", new HttpClientOptions(options.secondary()), new PoolOptions(newPool));
    handler = new ProxyHandler(vertx, new ProxyHandler.Clients(oldClient, newClient, secondaryClient), shared);
    // no Vert.x idle timeout: it would also close a connection waiting for a slow OLD; ClientConnections times the
    // client only while it is the one expected to act (send its request, take its answer)
    HttpServerOptions serverOptions = proxyServerOptions();
    if (shared.listenTls() != null) {
      TlsOptions.applyTo(serverOptions, shared.listenTls()); // and ALPN then offers h2 (LISTEN_ALPN)
    }
    server = vertx.createHttpServer(serverOptions).requestHandler(handler)
        .connectionHandler(shared.clients()::accepted);
    return server.listen(port, host).onSuccess(s -> shared.clients().watchAccepts(s));
  }

  /**
   * The proxy port's options: HTTP/1.x and, on the same port, HTTP/2 with prior knowledge (h2c; the h2c upgrade from
   * HTTP/1.1 is not taken: ClientConnections.NoH2cUpgrade), and ALPN's h2 once TLS is on ({@link #LISTEN_ALPN}).
   */
  static HttpServerOptions proxyServerOptions() {
    return new HttpServerOptions().setHandle100ContinueAutomatically(false)
        .setHttp2ClearTextEnabled(true)
        .setUseAlpn(true).setAlpnVersions(LISTEN_ALPN)
        // HTTP/2: heads as large as over HTTP/1, and Vert.x's 100 requests at once per connection
        .setInitialSettings(new Http2Settings(new HttpServerOptions().getInitialSettings())
            .setMaxHeaderListSize(MAX_HEADER_BYTES).setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS))
        .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(MAX_HEADER_BYTES).setCompressionSupported(false)
        // no WebSocket extension handler in every connection's pipeline: the proxy relays HTTP only (Upgrade is hop-by-hop)
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
  }

  /** A backend's client options: {@code common} (TLS included), in the protocol configured for it ({@code protocol:}). */
  static HttpClientOptions backendOptions(HttpClientOptions common, dev.shadowparity.http.BackendProtocol protocol,
      String url) {
    return protocol.apply(new HttpClientOptions(common), url.trim().toLowerCase(java.util.Locale.ROOT).startsWith("https:"));
  }

  /** A pool of {@code size} HTTP/1 connections, or a few HTTP/2 ones (each multiplexes requests). */
  private static PoolOptions pool(PoolOptions pool, int size) {
    return pool.setHttp1MaxSize(size).setHttp2MaxSize(Math.max(1, Math.min(size, MAX_HTTP2_CONNECTIONS)));
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Gives new TLS handshakes on this instance's listen port {@code ssl} (a reloaded certificate); connections already
   * open keep theirs.
   */
  public Future<Boolean> updateSsl(ServerSSLOptions ssl) {
    return server.updateSSLOptions(ssl, true);
  }

  /** Stops accepting and lets in-flight requests finish, at most {@code graceMillis}. */
  public Future<Void> shutdown(long graceMillis) {
    return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<?> stop() {
    if (handler != null) {
      handler.close();
    }
    return oldClient.close().eventually(() -> newClient.close())
        .eventually(() -> secondaryClient == null ? Future.succeededFuture() : secondaryClient.close());
  }
}
