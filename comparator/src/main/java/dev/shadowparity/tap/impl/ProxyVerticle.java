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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxy instance on one event loop. The tap deploys one per event loop on the same port (Vert.x
 * spreads connections over them); each has its own OLD and NEW clients, bound to its event loop, so a
 * request never hops threads.
 */
public final class ProxyVerticle extends VerticleBase {

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
          .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024);
      return new BackendOptions(TlsOptions.client(common, Backend.parse("old", tap.old()), tap.tls().old()),
          TlsOptions.client(common, Backend.parse("new", tap.neu()), tap.tls().neu()),
          tap.oldSecondary() == null ? null
              : TlsOptions.client(common, Backend.parse("old-secondary", tap.oldSecondary()), tap.tls().oldSecondary()));
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
    oldClient = BackendClients.create(vertx, "OLD", new HttpClientOptions(options.old()), new PoolOptions().setHttp1MaxSize(shared.oldPoolSize()));
    // connections to NEW age out, so that a canary Service that moves to other pods is followed (docs/rollouts.md)
    int lifetimeMs = (int) Math.min(Integer.MAX_VALUE, shared.tap().timeouts().newConnectionMaxLifetime().toMillis());
    PoolOptions newPool = new PoolOptions().setHttp1MaxSize(shared.newPoolSize()).setMaxLifetime(lifetimeMs)
        .setMaxLifetimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    newClient = BackendClients.create(vertx, "NEW", new HttpClientOptions(options.neu()), newPool);
    secondaryClient = tap.oldSecondary() == null ? null
        : BackendClients.create(vertx, "secondary OLD", new HttpClientOptions(options.secondary()), new PoolOptions(newPool));
    handler = new ProxyHandler(vertx, new ProxyHandler.Clients(oldClient, newClient, secondaryClient), shared);
    // an HTTP/1.x proxy: no h2c upgrade (Upgrade is hop-by-hop and never reaches OLD)
    HttpServerOptions serverOptions = new HttpServerOptions().setHandle100ContinueAutomatically(false).setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(16 * 1024).setMaxHeaderSize(64 * 1024).setCompressionSupported(false)
        // no WebSocket extension handler in every connection's pipeline: the proxy relays HTTP only (Upgrade is hop-by-hop)
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    if (shared.listenTls() != null) {
      TlsOptions.applyTo(serverOptions, shared.listenTls());
    }
    // no Vert.x idle timeout: it would also close a connection waiting for a slow OLD; ClientConnections times the
    // client only while it is the one expected to act (send its request, take its answer)
    server = vertx.createHttpServer(serverOptions).requestHandler(handler).connectionHandler(shared.clients()::accepted);
    return server.listen(port, host);
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
