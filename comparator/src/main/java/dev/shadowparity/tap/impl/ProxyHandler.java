package dev.shadowparity.tap.impl;

import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.http.Backend;
import dev.shadowparity.http.HopByHop;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.Deadlines;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.BufferedCall;
import dev.shadowparity.ledger.SkipReason;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through the tap. The primary path streams the request to OLD and OLD's response to the
 * client with backpressure both ways, keeping capped copies for comparison. The shadow path, for
 * sampled requests, sends the buffered request to NEW with its own client, timeout and cap; nothing it
 * does reaches the client. When both sides are complete, the exchange goes to the compare pool.
 * Runs on the event loop; never decodes or diffs.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  static final String SHADOW_HEADER = "X-Parity-Shadow";

  private final Vertx vertx;
  private final HttpClient oldClient;
  private final HttpClient newClient;
  /** The secondary OLD's client and address, or null. */
  private final HttpClient secondaryClient;
  private final Backend secondary;
  private final Backend old;
  private final Backend neu;
  private final TapConfig tap;
  private final ParityEngine engine;
  private final ComparePool pool;
  private final ShadowSampler sampler;
  private final AtomicInteger shadowInFlight;
  private final AtomicInteger openExchanges;
  private final ByteBudget budget;
  private final long requestCap;
  private final long responseCap;
  /** Response copies an exchange holds: OLD's and NEW's, and the secondary OLD's when there is one. */
  private final int copies;
  private final int maxShadowInFlight;
  private final long oldTimeoutMs;
  private final long newTimeoutMs;
  private final long connectTimeoutMs;
  /** The backends' socket addresses, made once (the client would parse the host for every request). */
  private final SocketAddress oldAddress;
  private final SocketAddress newAddress;
  private final SocketAddress secondaryAddress;
  /** Endpoint names of this event loop's recent requests. */
  private final EndpointTemplater.LocalCache endpoints;
  /** OLD's deadline per request: one list swept by a periodic timer, not a timer per request. */
  private final Deadlines<HttpClientRequest> oldDeadlines;
  /** NEW's (and the secondary OLD's) deadline per request, the same way. */
  private final Deadlines<Runnable> newDeadlines;
  /** The periodic timer that sweeps both lists. */
  private final long sweeper;

  public ProxyHandler(Vertx vertx, HttpClient oldClient, HttpClient newClient, HttpClient secondaryClient, TapConfig tap,
      ParityEngine engine, ComparePool pool, AtomicInteger shadowInFlight, AtomicInteger openExchanges, ByteBudget budget) {
    this.vertx = vertx;
    this.oldClient = oldClient;
    this.newClient = newClient;
    this.secondaryClient = secondaryClient;
    this.secondary = tap.oldSecondary() == null ? null : Backend.parse("old-secondary", tap.oldSecondary());
    this.old = Backend.parse("old", tap.old());
    this.neu = Backend.parse("new", tap.neu());
    this.tap = tap;
    this.engine = engine;
    this.pool = pool;
    this.sampler = new ShadowSampler(tap, engine.config().endpoints());
    this.shadowInFlight = shadowInFlight;
    this.openExchanges = openExchanges;
    this.budget = budget;
    this.requestCap = engine.config().limits().requestBodyBytes();
    // a body whose copies and comparison would not fit the whole byte budget together is hashed, not copied, as one
    // over the cap is: the copies (OLD, NEW and perhaps the secondary OLD) stay held while the comparison runs
    this.copies = secondary == null ? 2 : 3;
    this.responseCap = Math.max(1, Math.min(engine.config().limits().responseCopyBytes(),
        budget.limit() / (copies * (ComparePool.WORKING_BYTES_PER_BODY_BYTE + 1))));
    this.maxShadowInFlight = engine.config().limits().maxShadowInFlight();
    this.oldTimeoutMs = tap.timeouts().oldTimeout().toMillis();
    this.newTimeoutMs = tap.timeouts().newTimeout().toMillis();
    this.connectTimeoutMs = tap.timeouts().connectTimeout().toMillis();
    this.oldAddress = SocketAddress.inetSocketAddress(old.port(), old.host());
    this.newAddress = SocketAddress.inetSocketAddress(neu.port(), neu.host());
    this.secondaryAddress = secondary == null ? null : SocketAddress.inetSocketAddress(secondary.port(), secondary.host());
    this.endpoints = engine.endpointCache();
    this.oldDeadlines = new Deadlines<>(oldTimeoutMs,
        r -> r.reset(0, new TimeoutException("OLD did not answer within " + oldTimeoutMs + " ms")));
    this.newDeadlines = new Deadlines<>(newTimeoutMs, Runnable::run);
    // created on the verticle's event loop, so the sweep runs there too, as every request of this handler does
    long tick = Math.min(Deadlines.tickMillis(oldTimeoutMs), Deadlines.tickMillis(newTimeoutMs));
    this.sweeper = vertx.setPeriodic(tick, id -> {
      long now = System.nanoTime();
      oldDeadlines.expire(now);
      newDeadlines.expire(now);
    });
  }

  /** Stops the deadline sweep (the verticle is stopping). */
  public void close() {
    vertx.cancelTimer(sweeper);
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    String endpoint = endpoints.endpointOf(req.method().name(), req.uri());
    ShadowExchange shadow = null;
    SkipReason skip = sampler.decide(req, endpoint);
    if (skip == null) {
      String length = req.getHeader("content-length");
      if (length != null && BufferedCall.parseLength(length) > requestCap) {
        skip = SkipReason.BODY_TOO_LARGE;
      } else {
        shadow = new ShadowExchange(endpoint, requestCap, responseCap, openExchanges, budget);
      }
    }
    if (skip != null) {
      skipped(endpoint, skip);
    }
    if (shadow != null) {
      MultiMap endToEnd = HopByHop.endToEnd(req.headers());
      shadow.started(endToEnd, new RecordedRequest(req.method().name(), req.uri(), HopByHop.toHeaders(endToEnd), null));
    }
    req.pause();
    // the headers go straight into the OLD request once it exists (forward): one copy, not two
    RequestOptions options = options(req, old, null).setConnectTimeout(connectTimeoutMs);
    ShadowExchange s = shadow;
    oldClient.request(options).onComplete(ar -> {
      if (ar.failed()) {
        oldFailed(req, s, BufferedCall.failureKind(ar.cause()), ar.cause(), start, null);
        req.resume();
        return;
      }
      forward(req, ar.result(), s, start);
    });
  }

  private void forward(HttpServerRequest req, HttpClientRequest oldReq, ShadowExchange shadow, long start) {
    Deadlines.Entry<HttpClientRequest> deadline = oldDeadlines.start(System.nanoTime(), oldReq);
    proxyHeaders(req, old, HopByHop.copyEndToEnd(req.headers(), oldReq.headers()));
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
      oldReq.continueHandler(v -> req.response().writeContinue());
      oldReq.sendHead();
    }
    oldReq.exceptionHandler(err -> LOG.debug("OLD request for {} failed: {}", req.uri(), err.toString()));
    // set when the client goes away: OLD's request, which the tap then stops, did not fail on its own
    boolean[] clientGone = {false};
    req.exceptionHandler(err -> {
      // the client went away or sent garbage: the exchange ends as client-aborted, then OLD is stopped too
      clientGone[0] = true;
      if (shadow != null) {
        drop(shadow, SkipReason.CLIENT_ABORTED);
      }
      oldReq.reset();
    });
    boolean chunkedIn = req.headers().contains("transfer-encoding");
    if (chunkedIn) {
      oldReq.setChunked(true);
    }
    pump(req, oldReq, shadow == null ? null : shadow::appendRequest);
    req.endHandler(v -> {
      oldReq.end();
      if (shadow != null) {
        sendShadow(req, shadow);
      }
    });
    oldReq.response().onComplete(ar -> {
      if (ar.failed()) {
        oldDeadlines.cancel(deadline);
        oldFailed(req, shadow, deadline.fired() ? BackendFailure.Kind.TIMEOUT : BufferedCall.failureKind(ar.cause()), ar.cause(),
            start, clientGone);
        return;
      }
      relay(req, ar.result(), shadow, start, deadline, clientGone);
    });
    req.resume();
  }

  private void relay(HttpServerRequest req, HttpClientResponse oldResp, ShadowExchange shadow, long start,
      Deadlines.Entry<HttpClientRequest> deadline, boolean[] clientGone) {
    HttpServerResponse res = req.response();
    int status = oldResp.statusCode();
    res.setStatusCode(status);
    String reason = oldResp.statusMessage();
    if (reason != null && !reason.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
      res.setStatusMessage(reason); // OLD's own reason phrase (the standard one is what Vert.x writes anyway)
    }
    MultiMap oldHeaders = oldResp.headers();
    HopByHop.copyEndToEnd(oldHeaders, res.headers());
    boolean bodiless = req.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
    if (!bodiless && !res.headers().contains("content-length") && req.version() != HttpVersion.HTTP_1_0) {
      res.setChunked(true);
    }
    long declared = oldHeaders.get("content-length") == null ? -1 : BufferedCall.parseLength(oldHeaders.get("content-length"));
    if (shadow != null && !shadow.done() && !bodiless && declared > responseCap) {
      shadow.digestOld(); // over the cap: hashed as it streams to the client, never copied
    } else if (shadow != null && !shadow.done() && !bodiless && overloaded(declared)) {
      // the comparison of two answers this long cannot fit what is left of the byte budget now (ComparePool reserves
      // its working memory too): skip now, instead of copying megabytes to drop later
      drop(shadow, SkipReason.OVERLOAD);
    }
    res.closeHandler(v -> {
      if (!res.ended()) {
        // the client went away mid-response: drop the comparison, then free the OLD connection
        clientGone[0] = true;
        if (shadow != null) {
          drop(shadow, SkipReason.CLIENT_ABORTED);
        }
        oldResp.request().reset();
      }
    });
    pump(oldResp, res, shadow == null ? null : shadow::appendOld);
    oldResp.exceptionHandler(err -> {
      oldDeadlines.cancel(deadline);
      // OLD broke mid-body: the client sees the connection close, as behind any reverse proxy
      res.reset();
      BackendFailure.Kind kind = deadline.fired() ? BackendFailure.Kind.TIMEOUT : BackendFailure.Kind.RESET;
      recordOldFailure(req, shadow, kind, err, start, clientGone);
    });
    oldResp.endHandler(v -> {
      oldDeadlines.cancel(deadline);
      res.end();
      if (shadow == null || shadow.done() || droppedForCopy(shadow, false)) {
        return;
      }
      shadow.oldAnswered(shadow.oldAnswer(oldResp.statusCode(), HopByHop.toHeaders(oldResp.headers()),
          System.nanoTime() - start));
      maybeCompare(shadow);
      if (!req.isEnded()) {
        // OLD answered before the request body ended (an early 401): NEW is asked once the body is complete; a client
        // that never completes it (or closes, which nothing else reports now) ends the exchange within NEW's timeout
        newDeadlines.start(System.nanoTime(), () -> {
          if (!shadow.done() && !shadow.newAsked()) {
            drop(shadow, SkipReason.CLIENT_ABORTED);
          }
        });
      }
    });
  }

  /**
   * Streams every chunk from {@code in} to {@code out} as it arrives, handing a copy to {@code copy}
   * (when not null), and pauses {@code in} while {@code out}'s write queue is full: backpressure from
   * the slower side, never a buffer without bound. End and errors are the caller's.
   */
  private static void pump(ReadStream<Buffer> in, WriteStream<Buffer> out, Consumer<Buffer> copy) {
    in.handler(chunk -> {
      out.write(chunk);
      if (copy != null) {
        copy.accept(chunk);
      }
      if (out.writeQueueFull()) {
        in.pause();
        out.drainHandler(v -> in.resume());
      }
    });
  }

  private void oldFailed(HttpServerRequest req, ShadowExchange shadow, BackendFailure.Kind kind, Throwable cause, long start,
      boolean[] clientGone) {
    HttpServerResponse res = req.response();
    if (!res.headWritten() && !res.ended()) {
      res.setStatusCode(kind == BackendFailure.Kind.TIMEOUT ? 504 : 502);
      res.putHeader("content-type", "text/plain; charset=utf-8");
      res.end(kind == BackendFailure.Kind.TIMEOUT ? "Gateway Timeout\n" : "Bad Gateway\n");
    } else if (!res.ended()) {
      res.reset();
    }
    recordOldFailure(req, shadow, kind, cause, start, clientGone);
  }

  /** @param clientGone set when the client went away first (the tap stopped OLD): then nothing is OLD's failure */
  private void recordOldFailure(HttpServerRequest req, ShadowExchange shadow, BackendFailure.Kind kind, Throwable cause,
      long start, boolean[] clientGone) {
    if (clientGone != null && clientGone[0]) {
      LOG.debug("OLD's request for {} {} stopped: the client went away", req.method(), req.uri());
      return;
    }
    String endpoint = shadow != null ? shadow.endpoint : engine.endpointOf(req.method().name(), req.uri());
    LOG.debug("OLD failed for {} {}: {}", req.method(), req.uri(), cause == null ? kind : cause.toString());
    if (shadow == null) {
      engine.oldFailed(endpoint, kind); // not mirrored: already recorded as skipped; OLD's health still counts
      return;
    }
    if (shadow.done() || !shadow.oldAnswered(new BackendFailure(kind,
        cause == null ? kind.wireName() : String.valueOf(cause.getMessage()), System.nanoTime() - start))) {
      return;
    }
    if (!shadow.newKnown() && !shadow.newAsked()) {
      // OLD failed before the request was complete, so NEW was never asked: an OLD error, nothing to wait for
      shadow.newAnswered(new BackendFailure(BackendFailure.Kind.NOT_SENT, "OLD failed first", 0));
    }
    maybeCompare(shadow);
  }

  private void sendShadow(HttpServerRequest req, ShadowExchange shadow) {
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
    if (body.length > 0 || headers.contains("transfer-encoding")) {
      headers.remove("transfer-encoding");
      headers.set("content-length", Integer.toString(body.length));
    }
    if (secondary != null) {
      askSecondary(req, shadow, MultiMap.caseInsensitiveMultiMap().addAll(headers), body);
    }
    long start = System.nanoTime();
    BufferedCall.send(newDeadlines, newClient, options(req, neu, headers).setConnectTimeout(connectTimeoutMs),
            body, responseCap, shadow)
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
  private void askSecondary(HttpServerRequest req, ShadowExchange shadow, MultiMap headers, byte[] body) {
    shadow.askingSecondary();
    BufferedCall.send(newDeadlines, secondaryClient, options(req, secondary, headers)
            .setConnectTimeout(connectTimeoutMs), body, responseCap, shadow)
        .onComplete(ar -> {
          shadow.secondaryAnswered(ar.succeeded() && ar.result() instanceof RecordedResponse r ? r : null);
          if (ar.failed()) {
            LOG.debug("secondary OLD failed for {}: {}", shadow.endpoint, ar.cause().toString());
          }
          maybeCompare(shadow);
        });
  }

  private void maybeCompare(ShadowExchange shadow) {
    if (shadow.done() || !shadow.complete()) {
      return;
    }
    pool.submit(shadow.endpoint, shadow.toExchange(), shadow.handOver());
  }


  /**
   * Whether the copies and the comparison of two answers of this Content-Length (within the copy cap) do not fit
   * what is left of the byte budget now (a large comparison is running, or large copies are held). Only answers of
   * 64 KiB and more are judged now; smaller ones are left to the reservations.
   */
  private boolean overloaded(long length) {
    if (length < 64 * 1024) {
      return false;
    }
    long held = copies * length; // OLD's answer and NEW's (and the secondary's), which OLD's Content-Length stands for
    return budget.used() + ComparePool.workingBytes(held) + held > budget.limit();
  }

  /** Ends a mirrored exchange without comparing it, counted once under the reason. */
  private void drop(ShadowExchange shadow, SkipReason reason) {
    if (shadow.finish()) {
      skipped(shadow.endpoint, reason);
    }
  }

  /** Drops the exchange when a copy passed its cap ({@code body-too-large}) or the byte budget ({@code overload}). */
  private boolean droppedForCopy(ShadowExchange shadow, boolean overCap) {
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

  private void skipped(String endpoint, SkipReason reason) {
    engine.skip(endpoint, reason); // the one recording path: ledger, then metrics and capture
  }

  /**
   * Options for a backend request; {@code h} is a fresh map of this request's own, changed in place by
   * {@link #proxyHeaders}, or null when the headers are set on the request later.
   */
  private RequestOptions options(HttpServerRequest req, Backend backend, MultiMap h) {
    if (h != null) {
      proxyHeaders(req, backend, h);
    }
    String base = backend.basePath();
    return new RequestOptions()
        .setMethod(req.method())
        .setServer(backend == old ? oldAddress : backend == neu ? newAddress : secondaryAddress)
        .setHost(backend.host())
        .setPort(backend.port())
        .setSsl(backend.ssl())
        .setURI(base.isEmpty() ? req.uri() : base + req.uri())
        .setHeaders(h)
        .setFollowRedirects(false);
  }

  /** Sets the Host a backend gets and, when configured, the X-Forwarded headers, in {@code h}. */
  private void proxyHeaders(HttpServerRequest req, Backend backend, MultiMap h) {
    String clientHost = req.headers().get("host");
    if (tap.hostHeader().equals("target") || clientHost == null) {
      h.set("host", backend.authority());
    }
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
