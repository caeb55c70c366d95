package dev.shadowparity.tap.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shadowparity.report.ReportJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One admin request and the ways a route answers it: JSON at once, or a body built off the event loop. */
final class AdminExchange {

  private static final Logger LOG = LoggerFactory.getLogger(AdminExchange.class);

  /** An answer built off the event loop. */
  record Reply(int status, String body, String contentType) {}

  private final HttpServerRequest request;
  private final Vertx vertx;
  private final AdminContext context;

  AdminExchange(HttpServerRequest request, Vertx vertx, AdminContext context) {
    this.request = request;
    this.vertx = vertx;
    this.context = context;
  }

  HttpServerRequest request() {
    return request;
  }

  /** What the routes work on: the engine, the store, the meters. */
  AdminContext context() {
    return context;
  }

  /** Answers JSON now, on the event loop (for small bodies only). */
  void json(int status, Map<String, ?> body) {
    try {
      request.response().setStatusCode(status).putHeader("content-type", "application/json")
          .end(ReportJson.mapper().writeValueAsString(new LinkedHashMap<>(body)) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /** Builds the body on a worker thread and answers 200 from the event loop. */
  void work(Callable<String> body, String contentType) {
    respond(() -> new Reply(200, body.call(), contentType));
  }

  /** Builds the answer on a worker thread and sends it from the event loop; a failure answers 500. */
  void respond(Callable<Reply> reply) {
    vertx.executeBlocking(reply, false).onComplete(ar -> send(ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  /** Makes an answer of a value that is there once read (a later read may fail). */
  @FunctionalInterface
  interface Answer<T> {
    Reply of(T value) throws Exception;
  }

  /**
   * Once {@code value} is there, builds the answer from it on a worker thread and sends it from the event loop. When
   * the value cannot be read ({@link FleetEvidence.Unavailable}) the answer is 503 with why; any other failure 500.
   */
  <T> void respond(Future<T> value, Answer<T> reply) {
    value.compose(v -> vertx.executeBlocking(() -> reply.of(v), false))
        .onComplete(ar -> send(ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void send(Reply reply, Throwable failure) {
    HttpServerResponse res = request.response();
    if (failure instanceof FleetEvidence.Unavailable unavailable) {
      // the reason only (the store's name, never its password; no stack trace): the read logged it
      json(503, Map.of("error", "the fleet's evidence cannot be read now: " + unavailable.getMessage(), "scope", "fleet"));
      return;
    }
    if (failure != null) {
      LOG.error("admin request {} failed", request.path(), failure);
      res.setStatusCode(500).putHeader("content-type", "text/plain").end("internal error: " + failure + "\n");
      return;
    }
    res.setStatusCode(reply.status()).putHeader("content-type", reply.contentType()).end(reply.body());
  }
}
