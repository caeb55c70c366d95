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

  private final Vertx vertx;
  private final ParityEngine engine;
  private final PrometheusMeterRegistry registry;
  private final byte[] token;
  private final Instant started = Instant.now();

  public AdminHandler(Vertx vertx, ParityEngine engine, PrometheusMeterRegistry registry, String token) {
    this.vertx = vertx;
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
      only(req, HttpMethod.POST, () -> {
        engine.reset();
        LOG.info("evidence reset through the admin API");
        json(req, 200, Map.of("reset", true, "at", Instant.now().toString()));
      });
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
          "/health, /metrics, /api/report, /api/endpoints/{endpoint}/samples, POST /api/reset"));
    }
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

  /** Builds the body on a worker thread and answers from the event loop. */
  private void work(HttpServerRequest req, Callable<String> body, String contentType) {
    vertx.executeBlocking(body, false).onComplete(ar -> {
      HttpServerResponse res = req.response();
      if (ar.failed()) {
        LOG.error("admin request {} failed", req.path(), ar.cause());
        res.setStatusCode(500).putHeader("content-type", "text/plain").end("internal error: " + ar.cause() + "\n");
        return;
      }
      res.putHeader("content-type", contentType).end(ar.result());
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
