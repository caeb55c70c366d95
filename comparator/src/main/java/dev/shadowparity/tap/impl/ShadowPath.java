package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.Deadlines;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.BufferedCall;
import dev.shadowparity.ledger.SkipReason;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow path of a mirrored request: once its body is complete, the buffered request goes to NEW (and the
 * secondary OLD) with their own clients, deadline and copy cap; when every answer is in, the exchange goes to the
 * compare pool; and every way it can end early is counted once, under its reason. Nothing here reaches the client.
 * Event loop only.
 */
final class ShadowPath {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowPath.class);
  static final String SHADOW_HEADER = "X-Parity-Shadow";

  private final ParityEngine engine;
  private final ComparePool pool;
  private final BackendRequests backends;
  private final HttpClient newClient;
  /** The secondary OLD's client, or null. */
  private final HttpClient secondaryClient;
  private final Deadlines<Runnable> newDeadlines;
  private final AtomicInteger shadowInFlight;
  private final int maxShadowInFlight;
  private final long responseCap;

  ShadowPath(ParityEngine engine, ComparePool pool, BackendRequests backends, HttpClient newClient,
      HttpClient secondaryClient, Deadlines<Runnable> newDeadlines, AtomicInteger shadowInFlight, long responseCap) {
    this.engine = engine;
    this.pool = pool;
    this.backends = backends;
    this.newClient = newClient;
    this.secondaryClient = secondaryClient;
    this.newDeadlines = newDeadlines;
    this.shadowInFlight = shadowInFlight;
    this.maxShadowInFlight = engine.config().limits().maxShadowInFlight();
    this.responseCap = responseCap;
  }

  /**
   * The request body is complete: asks NEW (and the secondary OLD), unless the exchange already ended. The headers
   * are the client's without any {@code X-Parity-*} it sent ({@link Admission#admit}), plus the tap's own marker.
   */
  void send(HttpServerRequest req, ClientRequestHead head, ShadowExchange shadow) {
    // OLD may have answered in full before the request body ended (an early 401 or 413): NEW is still asked, or the
    // exchange would never end; only an OLD failure (recorded already, with NEW not sent) ends it here
    if (shadow.done() || shadow.oldFailed() || droppedForCopy(shadow, shadow.requestOverCap())) {
      return;
    }
    if (shadowInFlight.incrementAndGet() > maxShadowInFlight) {
      shadowInFlight.decrementAndGet();
      drop(shadow, SkipReason.OVERLOAD);
      return;
    }
    MultiMap headers = shadow.askingNew(); // this exchange's own copy, made when it started: changed in place for NEW
    byte[] body = shadow.request().body();
    headers.set(SHADOW_HEADER, "1");
    headers.remove("expect");
    if (dev.shadowparity.http.HopByHop.acceptsTrailers(req.headers())) {
      headers.set("te", "trailers"); // as OLD gets it (over HTTP/2 only: BufferedCall), the tap reads NEW's trailers
    }
    if (body.length > 0 || headers.contains("transfer-encoding")) {
      headers.remove("transfer-encoding");
      headers.set("content-length", Integer.toString(body.length));
    }
    if (backends.secondary != null) {
      askSecondary(req, head, shadow, MultiMap.caseInsensitiveMultiMap().addAll(headers), body);
    }
    long start = System.nanoTime();
    BufferedCall.send(newDeadlines, newClient, backends.options(req, head, backends.neu, headers), body, responseCap, shadow)
        .onComplete(ar -> {
          shadowInFlight.decrementAndGet();
          if (ar.failed() && ar.cause() instanceof BufferedCall.OverBudget) {
            drop(shadow, SkipReason.OVERLOAD);
            return;
          }
          shadow.newAnswered(BufferedCall.result(ar, System.nanoTime() - start));
          maybeCompare(shadow);
        });
  }

  /**
   * The same request to the secondary OLD, as to NEW (same timeout, caps and budget). Its answer is only evidence
   * of noise: when it fails, the exchange is compared without it.
   */
  private void askSecondary(HttpServerRequest req, ClientRequestHead head, ShadowExchange shadow, MultiMap headers,
      byte[] body) {
    shadow.askingSecondary();
    BufferedCall.send(newDeadlines, secondaryClient, backends.options(req, head, backends.secondary, headers), body, responseCap,
            shadow)
        .onComplete(ar -> {
          shadow.secondaryAnswered(ar.succeeded() && ar.result() instanceof RecordedResponse r ? r : null);
          if (ar.failed()) {
            LOG.debug("secondary OLD failed for {}: {}", shadow.endpoint, ar.cause().toString());
          }
          maybeCompare(shadow);
        });
  }

  /** Hands the exchange to the compare pool once every answer is in. */
  void maybeCompare(ShadowExchange shadow) {
    if (shadow.done() || !shadow.complete()) {
      return;
    }
    pool.submit(shadow.endpoint, shadow.toExchange(), shadow.handOver());
  }

  /** Ends a mirrored exchange without comparing it, counted once under the reason. */
  void drop(ShadowExchange shadow, SkipReason reason) {
    if (shadow.finish()) {
      skipped(shadow.endpoint, reason);
    }
  }

  /** Drops the exchange when a copy passed its cap ({@code body-too-large}) or the byte budget ({@code overload}). */
  boolean droppedForCopy(ShadowExchange shadow, boolean overCap) {
    if (overCap) {
      drop(shadow, SkipReason.BODY_TOO_LARGE);
      return true;
    }
    if (shadow.overBudget()) {
      drop(shadow, SkipReason.OVERLOAD);
      return true;
    }
    return false;
  }

  /** Records a request that is not compared, through the one recording path. */
  void skipped(String endpoint, SkipReason reason) {
    engine.skip(endpoint, reason);
  }
}
