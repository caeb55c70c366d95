package dev.shadowparity.tap.impl;

import dev.shadowparity.http.HopByHop;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.Deadlines;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.drift.UnmirroredWrites;
import dev.shadowparity.engine.BackendFailure;
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
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request through the tap, and its primary path: {@link Admission} decides at the head whether it is mirrored;
 * the request streams to OLD and OLD's response to the client with backpressure both ways, keeping capped copies
 * (or digests) for comparison; OLD's failures answer 502/504. The {@link ShadowPath} asks NEW once the request body
 * is complete; nothing it does reaches the client. Runs on the event loop; never decodes or diffs.
 */
public final class ProxyHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  /** OLD's failures, logged once per endpoint and kind, then at most once a minute (shared by every event loop). */
  private static final dev.shadowparity.ledger.ProblemLog OLD_FAILURES = new dev.shadowparity.ledger.ProblemLog(LOG);
  /** Requests refused at the edge, logged once per reason, then at most once a minute (clients that always fail). */
  private static final dev.shadowparity.ledger.ProblemLog REFUSALS = new dev.shadowparity.ledger.ProblemLog(LOG);

  private final Vertx vertx;
  private final HttpClient oldClient;
  private final BackendRequests backends;
  private final ParityEngine engine;
  private final Admission admission;
  private final ShadowPath shadows;
  private final RefusedRequests refused;
  /** Counts the requests by the client's protocol. */
  private final ClientConnections clients;
  private final long responseCap;
  /** Endpoint names of this event loop's recent requests. */
  private final EndpointTemplater.LocalCache endpoints;
  /** OLD's deadline per request: one list swept by a periodic timer, not a timer per request. */
  private final Deadlines<HttpClientRequest> oldDeadlines;
  /** NEW's (and the secondary OLD's) deadline per request, the same way. */
  private final Deadlines<Runnable> newDeadlines;
  /** The periodic timer that sweeps both lists. */
  private final long sweeper;

  /** This event loop's clients: OLD's, NEW's and the secondary OLD's (or null). */
  public record Clients(HttpClient old, HttpClient neu, HttpClient secondary) {}

  /** A handler on this verticle's event loop, with its own clients, over what every instance shares. */
  public ProxyHandler(Vertx vertx, Clients clients, ProxyVerticle.Shared shared) {
    TapConfig tap = shared.tap();
    ParityEngine engine = shared.engine();
    HttpClient newClient = clients.neu();
    HttpClient secondaryClient = clients.secondary();
    this.vertx = vertx;
    this.oldClient = clients.old();
    this.backends = new BackendRequests(tap);
    this.engine = engine;
    this.refused = shared.refused();
    this.clients = shared.clients();
    this.admission = new Admission(tap, engine, shared.budget(), shared.openExchanges(), backends.secondary != null);
    this.responseCap = admission.responseCap();
    this.endpoints = engine.endpointCache();
    long oldTimeoutMs = tap.timeouts().oldTimeout().toMillis();
    long newTimeoutMs = tap.timeouts().newTimeout().toMillis();
    this.oldDeadlines = new Deadlines<>(oldTimeoutMs,
        r -> r.reset(0, new TimeoutException("OLD did not answer within " + oldTimeoutMs + " ms")));
    this.newDeadlines = new Deadlines<>(newTimeoutMs, Runnable::run);
    this.shadows = new ShadowPath(engine, shared.pool(), backends, newClient, secondaryClient, newDeadlines,
        shared.shadowInFlight(), responseCap);
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
    clients.requested(req.version());
    ClientRequestHead.Inspected inspected = ClientRequestHead.inspect(req);
    if (inspected.refusal() != null) {
      refuse(req, inspected.refusal());
      return;
    }
    ClientRequestHead head = inspected.head();
    // a gRPC call (content-type application/grpc*) is named by its path: grpc /package.Service/Method
    String endpoint = endpoints.endpointOf(req.method().name(), head.uri(), req.getHeader("content-type"));
    Admission.Decision decision = admission.admit(req, head, endpoint);
    if (decision.skip() != null) {
      shadows.skipped(endpoint, decision.skip());
    }
    ShadowExchange shadow = decision.ticket();
    req.pause();
    // the headers go straight into the OLD request once it exists (forward): one copy, not two
    RequestOptions options = backends.options(req, head, backends.old, null);
    ShadowExchange s = shadow;
    oldClient.request(options).onComplete(ar -> {
      if (ar.failed()) {
        oldFailed(req, head, s, BufferedCall.failureKind(ar.cause()), ar.cause(), start, null);
        req.resume();
        return;
      }
      forward(req, head, ar.result(), s, start);
    });
  }

  /**
   * Answers a request refused at the edge (it never reaches OLD or NEW and is no exchange: it is counted by reason)
   * and closes the connection: what follows a malformed head on it is not to be trusted either.
   */
  private void refuse(HttpServerRequest req, ClientRequestHead.Refusal refusal) {
    refused.add(refusal);
    // only the reason: nothing the client sent is logged
    REFUSALS.noted("the proxy port", "A client's request", refusal.wireName(), refusal.message,
        "answered " + refusal.status + " and closed, never forwarded (parity_refused_requests_total)");
    HttpServerResponse res = req.response();
    res.setStatusCode(refusal.status).putHeader("content-type", "text/plain; charset=utf-8");
    if (req.version() == HttpVersion.HTTP_2) {
      // one stream of a multiplexed connection: its frames are its own, the others' requests are not in doubt
      res.end(HttpResponseStatus.valueOf(refusal.status).reasonPhrase() + ": " + refusal.message + "\n");
      return;
    }
    res.putHeader("connection", "close");
    res.end(HttpResponseStatus.valueOf(refusal.status).reasonPhrase() + ": " + refusal.message + "\n")
        .onComplete(v -> req.connection().close());
  }

  private void forward(HttpServerRequest req, ClientRequestHead head, HttpClientRequest oldReq, ShadowExchange shadow,
      long start) {
    Deadlines.Entry<HttpClientRequest> deadline = oldDeadlines.start(System.nanoTime(), oldReq);
    // the client's end-to-end headers without any X-Parity-* it sent: OLD never sees a marker at all
    backends.proxyHeaders(req, head, backends.old, HopByHop.copyClientRequest(req.headers(), oldReq.headers()));
    BufferedCall.authorityFromHost(oldReq);
    if (oldReq.version() == HttpVersion.HTTP_2 && HopByHop.acceptsTrailers(req.headers())) {
      // the tap's own TE, to an HTTP/2 OLD only (gRPC servers require it there): it relays trailers to this client
      oldReq.headers().set("te", "trailers");
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
      oldReq.continueHandler(v -> req.response().writeContinue());
      oldReq.sendHead();
    }
    oldReq.exceptionHandler(err -> LOG.debug("OLD request for {} failed: {}", head.uri(), err.toString()));
    // set when the client goes away: OLD's request, which the tap then stops, did not fail on its own
    boolean[] clientGone = {false};
    req.exceptionHandler(err -> {
      // the client went away or sent garbage: the exchange ends as client-aborted, then OLD is stopped too
      clientGone[0] = true;
      if (shadow != null) {
        shadows.drop(shadow, SkipReason.CLIENT_ABORTED);
      }
      oldReq.reset();
    });
    boolean chunkedIn = req.headers().contains("transfer-encoding");
    if (chunkedIn) {
      oldReq.setChunked(true);
    }
    // an HTTP/2 request frames its body itself and may give no length: it goes on chunked to an HTTP/1.1 OLD, from
    // its first byte (a request without a body stays without one)
    Consumer<Buffer> framing = null;
    if (req.version() == HttpVersion.HTTP_2 && !chunkedIn && !req.headers().contains("content-length")) {
      framing = chunk -> {
        if (!oldReq.isChunked()) {
          oldReq.setChunked(true);
        }
      };
    }
    pump(req, oldReq, framing, shadow == null ? null : shadow::appendRequest);
    req.endHandler(v -> {
      oldReq.end();
      if (shadow != null) {
        shadows.send(req, head, shadow);
      }
    });
    oldReq.response().onComplete(ar -> {
      if (ar.failed()) {
        oldDeadlines.cancel(deadline);
        oldFailed(req, head, shadow, deadline.fired() ? BackendFailure.Kind.TIMEOUT : BufferedCall.failureKind(ar.cause()),
            ar.cause(), start, clientGone);
        return;
      }
      relay(req, head, ar.result(), shadow, start, deadline, clientGone);
    });
    req.resume();
  }

  private void relay(HttpServerRequest req, ClientRequestHead head, HttpClientResponse oldResp, ShadowExchange shadow,
      long start, Deadlines.Entry<HttpClientRequest> deadline, boolean[] clientGone) {
    HttpServerResponse res = req.response();
    int status = oldResp.statusCode();
    if (status < 200) {
      // Vert.x takes OLD's 100 and 103 as interim (a 103 is dropped); any other 1xx arrives here as if final. The tap
      // never forwards Upgrade, so a 101 (or a 102, whose real answer would follow) leaves OLD's connection in an
      // unknown state: it is closed, never reused, and the client gets a 502 rather than a 1xx and then nothing
      oldDeadlines.cancel(deadline);
      oldResp.exceptionHandler(err -> { });
      if (oldResp.version() == HttpVersion.HTTP_2) {
        oldResp.request().reset(); // one stream of a shared connection: the others are not in doubt
      } else {
        oldResp.request().connection().close();
      }
      oldFailed(req, head, shadow, BackendFailure.Kind.PROTOCOL,
          new java.net.ProtocolException(status == 101 ? "OLD answered 101 Switching Protocols to a request that asked no upgrade"
              : "OLD answered " + status + ", an interim answer the tap does not relay"), start, clientGone);
      return;
    }
    if (shadow == null && !UnmirroredWrites.reads(req.method().name())) {
      // a write NEW never gets: OLD's data moves and NEW's does not, which explains later reads that mismatch
      engine.unmirroredWrite(req.method().name(), head.uri(), status);
    }
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
    } else if (shadow != null && !shadow.done() && !bodiless && admission.overloaded(declared)) {
      // the comparison of two answers this long cannot fit what is left of the byte budget now (ComparePool reserves
      // its working memory too): skip now, instead of copying megabytes to drop later
      shadows.drop(shadow, SkipReason.OVERLOAD);
    }
    res.closeHandler(v -> {
      if (!res.ended()) {
        // the client went away mid-response: drop the comparison, then free the OLD connection
        clientGone[0] = true;
        if (shadow != null) {
          shadows.drop(shadow, SkipReason.CLIENT_ABORTED);
        }
        oldResp.request().reset();
      }
    });
    pump(oldResp, res, null, shadow == null ? null : shadow::appendOld);
    oldResp.exceptionHandler(err -> {
      oldDeadlines.cancel(deadline);
      // OLD broke mid-body: the client sees the connection close, as behind any reverse proxy
      res.reset();
      BackendFailure.Kind kind = deadline.fired() ? BackendFailure.Kind.TIMEOUT : BackendFailure.Kind.RESET;
      recordOldFailure(req, head, shadow, kind, err, start, clientGone);
    });
    oldResp.endHandler(v -> {
      oldDeadlines.cancel(deadline);
      relayTrailers(req, oldResp.trailers(), res);
      res.end();
      if (shadow == null || shadow.done() || shadows.droppedForCopy(shadow, false)) {
        return;
      }
      shadow.oldAnswered(shadow.oldAnswer(oldResp.statusCode(), HopByHop.toHeaders(oldResp.headers()),
          System.nanoTime() - start, HopByHop.toHeaders(oldResp.trailers())));
      shadows.maybeCompare(shadow);
      if (!req.isEnded()) {
        // OLD answered before the request body ended (an early 401): NEW is asked once the body is complete; a client
        // that never completes it (or closes, which nothing else reports now) ends the exchange within NEW's timeout
        newDeadlines.start(System.nanoTime(), () -> {
          if (!shadow.done() && !shadow.newAsked()) {
            shadows.drop(shadow, SkipReason.CLIENT_ABORTED);
          }
        });
      }
    });
  }

  /**
   * OLD's trailers, end-to-end ones only, go to a client on HTTP/2 (gRPC's status is there), and to an HTTP/1.1 client
   * only when it said {@code TE: trailers} and the answer is chunked (a Content-Length answer has nowhere to carry
   * them); otherwise they are dropped, as RFC 9110 (section 6.5.1) lets a proxy do.
   */
  private static void relayTrailers(HttpServerRequest req, MultiMap trailers, HttpServerResponse res) {
    if (trailers.isEmpty()) {
      return;
    }
    if (req.version() == HttpVersion.HTTP_2 || (res.isChunked() && HopByHop.acceptsTrailers(req.headers()))) {
      HopByHop.copyEndToEnd(trailers, res.trailers());
    }
  }

  /**
   * Streams every chunk from {@code in} to {@code out} as it arrives, after {@code before} (when not null) and handing
   * a copy to {@code copy} (when not null), and pauses {@code in} while {@code out}'s write queue is full: backpressure
   * from the slower side, never a buffer without bound. End and errors are the caller's.
   */
  private static void pump(ReadStream<Buffer> in, WriteStream<Buffer> out, Consumer<Buffer> before, Consumer<Buffer> copy) {
    in.handler(chunk -> {
      if (before != null) {
        before.accept(chunk);
      }
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

  private void oldFailed(HttpServerRequest req, ClientRequestHead head, ShadowExchange shadow, BackendFailure.Kind kind,
      Throwable cause, long start, boolean[] clientGone) {
    HttpServerResponse res = req.response();
    if (!res.headWritten() && !res.ended()) {
      res.setStatusCode(kind == BackendFailure.Kind.TIMEOUT ? 504 : 502);
      res.putHeader("content-type", "text/plain; charset=utf-8");
      res.end(kind == BackendFailure.Kind.TIMEOUT ? "Gateway Timeout\n" : "Bad Gateway\n");
    } else if (!res.ended()) {
      res.reset();
    }
    recordOldFailure(req, head, shadow, kind, cause, start, clientGone);
  }

  /** @param clientGone set when the client went away first (the tap stopped OLD): then nothing is OLD's failure */
  private void recordOldFailure(HttpServerRequest req, ClientRequestHead head, ShadowExchange shadow,
      BackendFailure.Kind kind, Throwable cause, long start, boolean[] clientGone) {
    if (clientGone != null && clientGone[0]) {
      LOG.debug("OLD's request for {} {} stopped: the client went away", req.method(), head.uri());
      return;
    }
    String endpoint = shadow != null ? shadow.endpoint
        : engine.endpointOf(req.method().name(), head.uri(), req.getHeader("content-type"));
    LOG.debug("OLD failed for {} {}: {}", req.method(), head.uri(), cause == null ? kind : cause.toString());
    // an operator must hear that OLD is failing (its clients get 502/504), but not once per request
    OLD_FAILURES.noted(endpoint, "OLD's answer", kind.wireName(),
        cause == null ? kind.wireName() : BufferedCall.failureMessage(cause),
        "the client got " + (kind == BackendFailure.Kind.TIMEOUT ? "504" : "502 or a reset"));
    if (shadow == null) {
      engine.oldFailed(endpoint, kind); // not mirrored: already recorded as skipped; OLD's health still counts
      return;
    }
    if (shadow.done() || !shadow.oldAnswered(new BackendFailure(kind,
        cause == null ? kind.wireName() : BufferedCall.failureMessage(cause), System.nanoTime() - start))) {
      return;
    }
    if (!shadow.newKnown() && !shadow.newAsked()) {
      // OLD failed before the request was complete, so NEW was never asked: an OLD error, nothing to wait for
      shadow.newAnswered(new BackendFailure(BackendFailure.Kind.NOT_SENT, "OLD failed first", 0));
    }
    shadows.maybeCompare(shadow);
  }
}
