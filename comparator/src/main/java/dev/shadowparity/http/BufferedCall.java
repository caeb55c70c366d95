package dev.shadowparity.http;

import dev.shadowparity.concurrent.Deadlines;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One request whose whole response is kept in memory, with a byte cap and a deadline: how the tap calls
 * NEW and how replay calls both backends. Must be called on the client's event loop.
 */
public final class BufferedCall {

  private BufferedCall() {}

  /**
   * Sends the request and collects the response.
   *
   * @param timeoutMs the deadline for the whole exchange, last body byte included; fails with {@link Timeout}
   * @param cap       the most body bytes kept; a larger body is not kept but hashed as it streams past, and the
   *                  answer is an {@link OversizedResponse} ({@link BodyDigest})
   * @param budget    asked for every chunk's size before it is kept; {@code false} fails the call with
   *                  {@link OverBudget} (the caller's byte budget is exhausted); given back the copy's bytes when the
   *                  body passes the cap and is hashed instead
   * @return a {@link RecordedResponse} or {@link OversizedResponse}, with latency 0 (callers measure their own span)
   */
  public static Future<BackendResult> send(Vertx vertx, HttpClient client, RequestOptions options, byte[] body,
      long timeoutMs, long cap, CopyBudget budget) {
    return send(client, options, body, timeoutMs, cap, budget, onTimeout -> {
      long timer = vertx.setTimer(timeoutMs, id -> onTimeout.run());
      return () -> vertx.cancelTimer(timer);
    });
  }

  /**
   * As {@link #send(Vertx, HttpClient, RequestOptions, byte[], long, long, CopyBudget)}, with the deadline kept in
   * {@code deadlines} (one list per event loop, swept by its owner) instead of a timer of its own; the
   * deadline is the list's length. Must be called on the event loop that owns the list.
   */
  public static Future<BackendResult> send(Deadlines<Runnable> deadlines, HttpClient client, RequestOptions options,
      byte[] body, long cap, CopyBudget budget) {
    return send(client, options, body, deadlines.lengthMillis(), cap, budget, onTimeout -> {
      Deadlines.Entry<Runnable> entry = deadlines.start(System.nanoTime(), onTimeout);
      return () -> deadlines.cancel(entry);
    });
  }

  /** {@code arm} starts the deadline, to run its argument when it passes, and gives back what cancels it. */
  private static Future<BackendResult> send(HttpClient client, RequestOptions options, byte[] body, long timeoutMs,
      long cap, CopyBudget budget, Function<Runnable, Runnable> arm) {
    Promise<BackendResult> result = Promise.promise();
    HttpClientRequest[] current = {null};
    Runnable disarm = arm.apply(() -> {
      if (result.tryFail(new Timeout(timeoutMs)) && current[0] != null) {
        current[0].reset();
      }
    });
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        result.tryFail(ar.cause());
        return;
      }
      HttpClientRequest r = ar.result();
      current[0] = r;
      if (result.future().isComplete()) {
        r.reset();
        return;
      }
      r.exceptionHandler(result::tryFail);
      authorityFromHost(r);
      if (r.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
        r.headers().remove("te"); // hop-by-hop: an HTTP/2 stream's "te: trailers" only
      }
      r.send(Buffer.buffer(body)).onComplete(rar -> {
        if (rar.failed()) {
          result.tryFail(rar.cause());
          return;
        }
        HttpClientResponse resp = rar.result();
        // first, so that every reset below (or the peer's) reaches this call, not Vert.x's log as an unhandled error
        resp.exceptionHandler(result::tryFail);
        String length = resp.getHeader("content-length");
        // a HEAD, 204, 304 or 1xx answer has no body whatever its Content-Length says
        boolean bodiless = options.getMethod() == io.vertx.core.http.HttpMethod.HEAD || resp.statusCode() == 204
            || resp.statusCode() == 304 || resp.statusCode() < 200;
        long declared = length == null || bodiless ? -1 : parseLength(length);
        if (declared > BodyDigest.limit(cap)) {
          // too long even to hash: its declared length is what is known
          result.tryComplete(new OversizedResponse(resp.statusCode(), headers(resp.headers()), declared, null, 0));
          r.reset();
          return;
        }
        Buffer[] copy = {declared > cap ? null : Buffer.buffer()};
        BodyDigest[] digest = {declared > cap ? new BodyDigest(cap) : null};
        resp.handler(chunk -> {
          if (result.future().isComplete()) {
            return;
          }
          if (digest[0] == null && (long) copy[0].length() + chunk.length() > cap) {
            // past the cap: the copy so far goes into the digest, and so does the rest as it comes
            digest[0] = new BodyDigest(cap);
            digest[0].update(copy[0]);
            budget.release(copy[0].length());
            copy[0] = null;
          }
          if (digest[0] != null) {
            if (!digest[0].update(chunk)) {
              result.tryComplete(digest[0].stopped(resp.statusCode(), headers(resp.headers())));
              r.reset();
            }
          } else if (!budget.tryReserve(chunk.length())) {
            result.tryFail(new OverBudget());
            r.reset();
          } else {
            copy[0].appendBuffer(chunk);
          }
        });
        resp.endHandler(v -> result.tryComplete(digest[0] != null
            ? digest[0].complete(resp.statusCode(), headers(resp.headers()))
            : new RecordedResponse(resp.statusCode(), headers(resp.headers()), copy[0].getBytes(), 0,
                headers(resp.trailers()))));
      });
    });
    return result.future().andThen(ar -> disarm.run());
  }

  /**
   * What a finished call gave, as the engine takes it, with the latency the caller measured: the answer (kept or
   * over the cap), or a {@link BackendFailure} of the kind its exception means. The tap and replay both read their
   * calls through this, so a failure is classified the same way in both.
   *
   * @param call a call that completed, except by {@link OverBudget}, which is the caller's to handle (nothing was
   *             wrong with the backend)
   */
  public static BackendResult result(io.vertx.core.AsyncResult<BackendResult> call, long latencyNanos) {
    if (call.succeeded()) {
      return call.result() instanceof RecordedResponse r
          ? new RecordedResponse(r.status(), r.headers(), r.body(), latencyNanos, r.trailers())
          : ((OversizedResponse) call.result()).withLatency(latencyNanos); // over the cap: judged by length and digest
    }
    if (call.cause() instanceof OverBudget) {
      throw new IllegalArgumentException("a call over the caller's byte budget has no backend result");
    }
    return new BackendFailure(failureKind(call.cause()), failureMessage(call.cause()), latencyNanos);
  }

  /** What a failure's exception says, for people: for a TLS failure its reason in words first ({@link TlsFailure}). */
  public static String failureMessage(Throwable t) {
    String reason = TlsFailure.reason(t);
    return reason != null ? reason : String.valueOf(t.getMessage());
  }

  /**
   * Sets a backend request's authority to its Host header: over HTTP/2 that is the {@code :authority} the backend
   * gets (the host header then names the same), over HTTP/1.1 the Host header is sent as it is anyway.
   */
  public static void authorityFromHost(HttpClientRequest r) {
    String host = r.headers().get("host");
    io.vertx.core.net.HostAndPort a = host == null ? null : io.vertx.core.net.HostAndPort.parseAuthority(host.trim(), -1);
    if (a != null) {
      r.authority(a);
    }
  }

  /** All headers of a response (or its trailers), in received order, without HTTP/2 pseudo-headers. */
  public static Headers headers(MultiMap h) {
    Headers.Builder b = Headers.builder();
    for (Map.Entry<String, String> e : h) {
      if (HopByHop.isPseudo(e.getKey())) {
        continue;
      }
      b.add(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /** What kind of failure an exception from the HTTP client (or this class) means. */
  public static BackendFailure.Kind failureKind(Throwable t) {
    // first: Netty wraps a failed handshake in a DecoderException, which alone would read as a protocol error
    if (TlsFailure.reason(t) != null) {
      return BackendFailure.Kind.TLS;
    }
    Throwable c = t;
    while (c != null) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return BackendFailure.Kind.CONNECT;
      }
      if (c instanceof java.util.concurrent.TimeoutException || c instanceof Timeout) {
        return BackendFailure.Kind.TIMEOUT;
      }
      if (c instanceof DecoderException || c instanceof IllegalArgumentException
          || c.getClass().getName().startsWith("io.netty.handler.codec")) {
        return BackendFailure.Kind.PROTOCOL;
      }
      if (c instanceof HttpClosedException) {
        return BackendFailure.Kind.RESET;
      }
      c = c.getCause();
    }
    String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    if (msg.contains("timeout") || msg.contains("timed out")) {
      return BackendFailure.Kind.TIMEOUT;
    }
    return BackendFailure.Kind.RESET;
  }

  /** A Content-Length value, or -1 when it is not a number. */
  public static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The backend did not answer within the deadline. */
  public static final class Timeout extends Exception {
    Timeout(long ms) {
      super("no complete answer within " + ms + " ms", null, false, false);
    }
  }

  /** The response does not fit in the caller's byte budget. */
  public static final class OverBudget extends Exception {
    OverBudget() {
      super("over the byte budget for copies", null, false, false);
    }
  }
}
