package dev.shadowparity.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP clients for the backends (OLD, NEW), shared by the tap and replay. */
public final class BackendClients {

  private static final Logger LOG = LoggerFactory.getLogger(BackendClients.class);

  private BackendClients() {}

  /**
   * A client for one backend. A broken connection (garbage instead of HTTP, a reset) fails the request on it, which
   * the caller counts as that backend's error; the connection's own report of the same failure is logged at debug,
   * instead of by Vert.x as an unhandled error once for every broken answer.
   */
  public static HttpClient create(Vertx vertx, String backend, HttpClientOptions options, PoolOptions pool) {
    return vertx.httpClientBuilder().with(options).with(pool)
        .withConnectHandler(conn -> conn.exceptionHandler(
            err -> LOG.debug("{} connection {} failed", backend, conn.remoteAddress(), err)))
        .build();
  }
}
