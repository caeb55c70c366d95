package dev.shadowparity.tap.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.report.ReportJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API, on its own port: {@code GET /health}, {@code GET /metrics} (Prometheus text),
 * {@code GET /api/report}, {@code GET /api/endpoints/{endpoint}/samples} (endpoint URL-encoded),
 * {@code POST /api/reset}. With a token, every route but {@code /health} needs
 * {@code Authorization: Bearer <token>}. Report building runs on a worker thread, not the event loop.
 */
public final class AdminHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
  private static final String SAMPLES_PREFIX = "/api/endpoints/";
  private static final String SAMPLES_SUFFIX = "/samples";
  private static final String UI_PREFIX = "/ui/";
  static final String UI_RESOURCES = "/dev/shadowparity/admin/";
  private static final java.util.regex.Pattern UI_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final Map<String, String> UI_TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

  private final Vertx vertx;
  private final ParityEngine engine;
  private final PrometheusMeterRegistry registry;
  private final byte[] token;
  private final Instant started = Instant.now();

  private final dev.shadowparity.store.Store store;

  public AdminHandler(Vertx vertx, ParityEngine engine, dev.shadowparity.store.Store store, PrometheusMeterRegistry registry,
      String token) {
    this.vertx = vertx;
    this.store = store;
    this.engine = engine;
    this.registry = registry;
    this.token = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/health")) {
      only(req, HttpMethod.GET, () -> json(req, 200, Map.of("status", "UP", "since", started.toString())));
      return;
    }
    if (path.equals("/") || path.startsWith(UI_PREFIX)) {
      // the page's own files hold no data: served without the token; the page sends it with every API call
      only(req, HttpMethod.GET, () -> page(req, path.equals("/") ? "index.html" : path.substring(UI_PREFIX.length())));
      return;
    }
    if (!authorized(req)) {
      req.response().setStatusCode(401).putHeader("www-authenticate", "Bearer").putHeader("content-type", "application/json")
          .end("{\"error\":\"missing or wrong bearer token\"}\n");
      return;
    }
    if (path.equals("/metrics")) {
      only(req, HttpMethod.GET, () -> work(req, () -> registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    } else if (path.equals("/api/report")) {
      only(req, HttpMethod.GET, () -> work(req, () -> ReportJson.write(engine.ledger().report()), "application/json"));
    } else if (path.equals("/api/reset")) {
      only(req, HttpMethod.POST, () -> work(req, () -> {
        dev.shadowparity.store.Period p = store.newPeriod(engine::reset);
        LOG.info("evidence reset through the admin API: period {} begins", p.id());
        return ReportJson.mapper().writeValueAsString(Map.of("reset", true, "at", p.startedAt().toString(), "period", p.id()));
      }, "application/json"));
    } else if (path.equals("/api/periods")) {
      only(req, HttpMethod.GET, () -> work(req, () -> ReportJson.mapper().writeValueAsString(
          Map.of("current", store.period(), "periods", store.periods())), "application/json"));
    } else if (path.equals("/api/trend")) {
      only(req, HttpMethod.GET, () -> work(req, () -> ReportJson.mapper().writeValueAsString(
          Map.of("intervalSeconds", store.trendInterval().toSeconds(), "endpoints", store.trend())), "application/json"));
    } else if (path.equals("/api/gate")) {
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.POST) {
        req.response().setStatusCode(405).putHeader("allow", "GET, POST").end();
        return;
      }
      gate(req);
    } else if (path.startsWith(SAMPLES_PREFIX) && path.endsWith(SAMPLES_SUFFIX)
        && path.length() > SAMPLES_PREFIX.length() + SAMPLES_SUFFIX.length()) {
      String raw = path.substring(SAMPLES_PREFIX.length(), path.length() - SAMPLES_SUFFIX.length());
      String endpoint = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      only(req, HttpMethod.GET, () -> {
        if (!engine.ledger().endpoints().contains(endpoint)) {
          json(req, 404, Map.of("error", "no such endpoint: " + endpoint));
          return;
        }
        work(req, () -> ReportJson.mapper().writeValueAsString(engine.ledger().samples(endpoint)), "application/json");
      });
    } else {
      json(req, 404, Map.of("error", "not found", "routes",
          "/, /health, /metrics, /api/report, /api/endpoints/{endpoint}/samples, /api/trend, /api/periods, /api/gate,"
              + " POST /api/reset"));
    }
  }

  /**
   * {@code GET|POST /api/gate?endpoint=E&endpoint=F&max-mismatch-rate=R&confidence=C&min-compared=N}: 200 when every
   * named endpoint (all, by default) is PROVEN, 409 otherwise, with the {@link dev.shadowparity.report.Gate.Result}
   * as JSON; 400 on a bad parameter. POST (as Flagger's webhooks send) ignores the request body. With
   * {@code always-200=true} the status is 200 either way and only the body tells (for Argo Rollouts' web metric).
   */
  private void gate(HttpServerRequest req) {
    dev.shadowparity.config.VerdictConfig rule;
    try {
      Double minCompared = number(req, "min-compared", null);
      if (minCompared != null && minCompared != Math.rint(minCompared)) {
        throw new IllegalArgumentException("min-compared: '" + req.getParam("min-compared") + "' is not a whole number");
      }
      rule = engine.config().verdict().withOverrides(number(req, "max-mismatch-rate", null), number(req, "confidence", null),
          minCompared == null ? null : minCompared.longValue());
    } catch (IllegalArgumentException e) {
      json(req, 400, Map.of("error", e.getMessage().startsWith("--") ? e.getMessage().substring(2) : e.getMessage()));
      return;
    }
    java.util.List<String> names = req.params().getAll("endpoint");
    // Argo Rollouts' web metric reads only 2xx bodies: always-200 lets its conditions see passed and failing
    String always = req.getParam("always-200");
    if (always != null && !always.equals("true") && !always.equals("false")) {
      json(req, 400, Map.of("error", "always-200: '" + always + "' is not true or false"));
      return;
    }
    boolean always200 = "true".equals(always);
    respond(req, () -> {
      dev.shadowparity.report.Gate.Result result = dev.shadowparity.report.Gate.evaluate(engine.ledger().report(), names, rule);
      int status = result.passed() || always200 ? 200 : 409;
      return new Reply(status, ReportJson.mapper().writeValueAsString(result) + "\n", "application/json");
    });
  }

  private static Double number(HttpServerRequest req, String name, Double fallback) {
    String v = req.getParam(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + v + "' is not a number", e);
    }
  }

  /** Serves a file of the admin page from the jar ({@value #UI_RESOURCES}), by a name of plain characters only. */
  private static void page(HttpServerRequest req, String name) {
    String type = UI_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    byte[] bytes = null;
    if (UI_NAME.matcher(name).matches() && type != null) {
      try (java.io.InputStream in = AdminHandler.class.getResourceAsStream(UI_RESOURCES + name)) {
        bytes = in == null ? null : in.readAllBytes();
      } catch (java.io.IOException e) {
        LOG.error("cannot read the admin page file {}", name, e);
        req.response().setStatusCode(500).end();
        return;
      }
    }
    if (bytes == null) {
      json(req, 404, Map.of("error", "no such page file: " + name));
      return;
    }
    req.response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff")
        .end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  private boolean authorized(HttpServerRequest req) {
    if (token == null) {
      return true;
    }
    String given = req.getHeader("authorization");
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
  }

  private static void only(HttpServerRequest req, HttpMethod method, Runnable action) {
    if (req.method() != method) {
      req.response().setStatusCode(405).putHeader("allow", method.name()).end();
      return;
    }
    action.run();
  }

  /** An answer built off the event loop. */
  private record Reply(int status, String body, String contentType) {}

  /** Builds the body on a worker thread and answers 200 from the event loop. */
  private void work(HttpServerRequest req, Callable<String> body, String contentType) {
    respond(req, () -> new Reply(200, body.call(), contentType));
  }

  /** Builds the answer on a worker thread and sends it from the event loop; a failure answers 500. */
  private void respond(HttpServerRequest req, Callable<Reply> reply) {
    vertx.executeBlocking(reply, false).onComplete(ar -> {
      HttpServerResponse res = req.response();
      if (ar.failed()) {
        LOG.error("admin request {} failed", req.path(), ar.cause());
        res.setStatusCode(500).putHeader("content-type", "text/plain").end("internal error: " + ar.cause() + "\n");
        return;
      }
      res.setStatusCode(ar.result().status()).putHeader("content-type", ar.result().contentType()).end(ar.result().body());
    });
  }

  private static void json(HttpServerRequest req, int status, Map<String, ?> body) {
    try {
      req.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(ReportJson.mapper().writeValueAsString(new LinkedHashMap<>(body)) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }
}
