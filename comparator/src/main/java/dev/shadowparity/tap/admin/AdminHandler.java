package dev.shadowparity.tap.admin;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on its own port: one table of {@link AdminRoute}s ({@link Routes#all()}), tried in order. Before
 * any route, {@link AdminGuard} refuses (403) a Host that is not the admin's own (DNS rebinding) and, for every
 * method but GET and HEAD, a request from another site's page (CSRF). With a token, every route but the open ones
 * ({@code /health} and the page's files) needs {@code Authorization: Bearer <token>}. A path no route takes gets 404
 * listing the routes; a method a route does not take gets 405 with {@code Allow}. Anything heavier than a small JSON
 * answer runs on a worker thread.
 */
public final class AdminHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final Vertx vertx;
  private final AdminContext context;
  private final List<AdminRoute> routes = Routes.all();
  private final AdminGuard guard;
  /** When a refusal was last logged: a page that retries in a loop gets one line per 10 s, not one per request. */
  private final java.util.concurrent.atomic.AtomicLong lastRefusalLog = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
  /** The 404 answer's list of routes, made from the table. */
  private final String routeList;

  /**
   * @param adminHostPort the admin's configured {@code HOST:PORT} (its host, when a name, is one of the admin's own)
   * @param adminHosts    further names the admin answers to ({@code admin-hosts})
   * @param token         the bearer token, or null (or empty) for none
   */
  public AdminHandler(Vertx vertx, ParityEngine engine, Store store, PrometheusMeterRegistry registry, String adminHostPort,
      List<String> adminHosts, String token) {
    this.vertx = vertx;
    this.guard = new AdminGuard(adminHostPort, adminHosts, token);
    this.context = new AdminContext(engine, store, registry, Instant.now(), guard.tokenSet(),
        new FleetEvidence(vertx, engine, store));
    this.routeList = routes.stream()
        .map(r -> (r.methods().equals(List.of(HttpMethod.POST)) ? "POST " : "") + r.path())
        .collect(Collectors.joining(", "));
  }

  @Override
  public void handle(HttpServerRequest req) {
    String refused = guard.refuseHost(req);
    if (refused == null) {
      refused = guard.refuseCrossSite(req);
    }
    if (refused != null) {
      long now = System.nanoTime();
      long last = lastRefusalLog.get();
      if ((last == Long.MIN_VALUE || now - last > 10_000_000_000L) && lastRefusalLog.compareAndSet(last, now)) {
        LOG.warn("admin request {} {} refused (403): {}", req.method(), req.path(), refused);
      }
      forbidden(req, refused);
      return;
    }
    String path = req.path();
    AdminRoute route = routes.stream().filter(r -> r.matches(path)).findFirst().orElse(null);
    AdminExchange ex = new AdminExchange(req, vertx, context);
    if (route == null) {
      if (!guard.authorized(req)) {
        unauthorized(req);
        return;
      }
      ex.json(404, Map.of("error", "not found", "routes", routeList));
      return;
    }
    if (!route.open() && !guard.authorized(req)) {
      unauthorized(req);
      return;
    }
    if (!route.methods().contains(req.method())) {
      req.response().setStatusCode(405)
          .putHeader("allow", route.methods().stream().map(HttpMethod::name).collect(Collectors.joining(", "))).end();
      return;
    }
    try {
      route.handle(ex);
    } catch (Exception e) {
      LOG.error("admin request {} failed", path, e);
      if (!req.response().ended()) {
        req.response().setStatusCode(500).putHeader("content-type", "text/plain").end("internal error: " + e + "\n");
      }
    }
  }

  private static void unauthorized(HttpServerRequest req) {
    req.response().setStatusCode(401).putHeader("www-authenticate", "Bearer").putHeader("content-type", "application/json")
        .end("{\"error\":\"missing or wrong bearer token\"}\n");
  }

  private static void forbidden(HttpServerRequest req, String why) {
    String body;
    try {
      body = dev.shadowparity.report.ReportJson.mapper().writeValueAsString(Map.of("error", why)) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
    // the request body, if any, is not read: the connection closes after the answer
    req.response().setStatusCode(403).putHeader("content-type", "application/json").putHeader("connection", "close")
        .end(body);
  }
}
