package dev.shadowparity.tap.admin;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on its own port: one table of {@link AdminRoute}s ({@link Routes#all()}), tried in order. With a
 * token, every route but the open ones ({@code /health} and the page's files) needs
 * {@code Authorization: Bearer <token>}. A path no route takes gets 404 listing the routes; a method a route does not
 * take gets 405 with {@code Allow}. Anything heavier than a small JSON answer runs on a worker thread.
 */
public final class AdminHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final Vertx vertx;
  private final AdminContext context;
  private final List<AdminRoute> routes = Routes.all();
  private final byte[] token;
  /** The 404 answer's list of routes, made from the table. */
  private final String routeList;

  public AdminHandler(Vertx vertx, ParityEngine engine, Store store, PrometheusMeterRegistry registry, String token) {
    this.vertx = vertx;
    this.context = new AdminContext(engine, store, registry, Instant.now(), token != null && !token.isEmpty());
    this.token = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.routeList = routes.stream()
        .map(r -> (r.methods().equals(List.of(HttpMethod.POST)) ? "POST " : "") + r.path())
        .collect(Collectors.joining(", "));
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    AdminRoute route = routes.stream().filter(r -> r.matches(path)).findFirst().orElse(null);
    AdminExchange ex = new AdminExchange(req, vertx, context);
    if (route == null) {
      if (!authorized(req)) {
        unauthorized(req);
        return;
      }
      ex.json(404, Map.of("error", "not found", "routes", routeList));
      return;
    }
    if (!route.open() && !authorized(req)) {
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

  private boolean authorized(HttpServerRequest req) {
    if (token == null) {
      return true;
    }
    String given = req.getHeader("authorization");
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
  }
}
