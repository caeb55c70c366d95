package dev.shadowparity.tap.impl;

import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.RecordedRequest;
import io.vertx.core.buffer.Buffer;

/**
 * The state of one mirrored request while OLD and NEW answer: the buffered request body, the capped copy
 * of OLD's response body, and both results. Touched only from the request's event loop.
 */
final class ShadowExchange implements dev.shadowparity.http.CopyBudget {

  final String endpoint;
  final long requestCap;
  final long responseCap;
  private Buffer requestBody = Buffer.buffer();
  private Buffer oldBody = Buffer.buffer();
  private boolean requestTooLarge;
  /** OLD's body past the copy cap: hashed as it streams to the client instead of copied; null while copied. */
  private dev.shadowparity.http.BodyDigest oldDigest;
  /** OLD's body went past even the digest's limit: only its length so far is known. */
  private boolean oldStopped;
  private final java.util.concurrent.atomic.AtomicInteger open;
  private final ByteBudget budget;
  private long reserved;
  /** A copy did not fit in the tap's byte budget. */
  private boolean overBudget;
  private boolean done;
  private boolean newSent;
  private RecordedRequest request;
  /** The request's end-to-end headers, copied once when the exchange starts, for NEW (and the secondary OLD). */
  private io.vertx.core.MultiMap endToEnd;
  private BackendResult oldResult;
  private BackendResult newResult;
  /** Asked of the secondary OLD and not answered yet. */
  private boolean secondaryPending;
  /** The secondary OLD's answer; null when there is none, it failed or was over the cap (then there is no noise evidence). */
  private RecordedResponse secondaryOld;

  /** The writes to OLD only known when the request arrived ({@link Exchange#writeSequence()}). */
  private final long writeSequence;

  /**
   * @param open          counts exchanges not yet finished (the tap's shutdown waits for it to reach zero)
   * @param writeSequence the engine's write sequence as the request arrived, before it went to OLD
   */
  ShadowExchange(String endpoint, long requestCap, long responseCap, java.util.concurrent.atomic.AtomicInteger open,
      ByteBudget budget, long writeSequence) {
    this.endpoint = endpoint;
    this.writeSequence = writeSequence;
    this.budget = budget;
    this.requestCap = requestCap;
    this.responseCap = responseCap;
    this.open = open;
    open.incrementAndGet();
  }

  boolean done() {
    return done;
  }

  // ---- the transitions, in the order they happen; each is called once, on the request's event loop

  /** The exchange starts: the request's head, and its end-to-end headers (this exchange's own copy, for NEW). */
  void started(io.vertx.core.MultiMap endToEnd, RecordedRequest head) {
    this.endToEnd = endToEnd;
    this.request = head;
  }

  /**
   * The request body is complete and NEW is about to be asked: the request with its body, and the headers for NEW
   * (handed over once; the exchange keeps none).
   */
  io.vertx.core.MultiMap askingNew() {
    newSent = true;
    request = new RecordedRequest(request.method(), request.uri(), request.headers(), requestBody.getBytes(),
        request.protocol());
    io.vertx.core.MultiMap headers = endToEnd;
    endToEnd = null;
    return headers;
  }

  /** The request as NEW got it (with its body once NEW was asked). */
  RecordedRequest request() {
    return request;
  }

  /** Whether NEW was asked (the request body was complete). */
  boolean newAsked() {
    return newSent;
  }

  /** OLD's answer or failure; false (and nothing changes) when OLD's result is known already. */
  boolean oldAnswered(BackendResult result) {
    if (oldResult != null) {
      return false;
    }
    oldResult = result;
    return true;
  }

  /** Whether OLD has answered (or failed). */
  boolean oldKnown() {
    return oldResult != null;
  }

  /** Whether OLD failed. */
  boolean oldFailed() {
    return oldResult instanceof dev.shadowparity.engine.BackendFailure;
  }

  /** NEW's answer or failure (or {@code not-sent}, when OLD failed before NEW was asked). */
  void newAnswered(BackendResult result) {
    newResult = result;
  }

  /** Whether NEW's result is known. */
  boolean newKnown() {
    return newResult != null;
  }

  /** The secondary OLD was asked. */
  void askingSecondary() {
    secondaryPending = true;
  }

  /** The secondary OLD's answer, or null when it failed or was over the cap (then this exchange has no noise evidence). */
  void secondaryAnswered(RecordedResponse answer) {
    secondaryPending = false;
    secondaryOld = answer;
  }

  /** Whether a copy went over the tap's byte budget (the exchange is then dropped as overload). */
  boolean overBudget() {
    return overBudget;
  }

  /** Whether the request body went over its cap (the exchange is then not mirrored). */
  boolean requestOverCap() {
    return requestTooLarge;
  }

  /**
   * Marks the exchange finished (skipped or abandoned) and gives its bytes back; true only the first time.
   * An exchange handed to the compare pool finishes with {@link #handOver()} instead.
   */
  boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    open.decrementAndGet();
    releaseBytes();
    return true;
  }

  /** Finishes the exchange as handed to the compare pool; returns what releases its bytes when compared. */
  Runnable handOver() {
    done = true;
    open.decrementAndGet();
    long bytes = reserved;
    reserved = 0;
    return () -> budget.release(bytes);
  }

  /**
   * Reserves bytes of a copy in the tap's budget; false when over budget (the exchange is then dropped) or when the
   * exchange has ended: a copy still arriving then (NEW's answer to a dropped exchange, say) is neither kept nor
   * counted, and NEW's call stops at once.
   */
  boolean reserve(long n) {
    if (overBudget || done) {
      return false;
    }
    if (!budget.tryReserve(n)) {
      overBudget = true;
      return false;
    }
    reserved += n;
    return true;
  }

  @Override
  public boolean tryReserve(int bytes) {
    return reserve(bytes);
  }

  /** Gives back bytes of a copy dropped for a digest; nothing once the exchange has ended (its bytes went then). */
  @Override
  public void release(long bytes) {
    if (done) {
      return;
    }
    long r = Math.min(bytes, reserved);
    reserved -= r;
    budget.release(r);
  }

  private void releaseBytes() {
    budget.release(reserved);
    reserved = 0;
  }

  /** Keeps a copy of request bytes, until the running total passes the cap. */
  void appendRequest(Buffer chunk) {
    if (!requestTooLarge && !overBudget) {
      requestTooLarge = !append(requestBody, chunk, requestCap);
      if (requestTooLarge) {
        requestBody = null;
      }
    }
  }

  /** Keeps a copy of OLD's response bytes; past the cap, a digest of them instead ({@link #digestOld()}). */
  void appendOld(Buffer chunk) {
    if (overBudget) {
      return;
    }
    if (oldDigest == null && !append(oldBody, chunk, responseCap)) {
      digestOld();
    }
    if (oldDigest != null && !oldStopped && !oldDigest.update(chunk)) {
      oldStopped = true;
    }
  }

  /** From now on OLD's body is hashed, not copied (it is, or will be, over the cap); the copy so far is hashed first. */
  void digestOld() {
    if (oldDigest != null) {
      return;
    }
    // OLD's body streams to the client anyway: hashed whole, whatever its length (two CRCs cost next to nothing)
    oldDigest = dev.shadowparity.http.BodyDigest.unbounded();
    oldDigest.update(oldBody);
    release(oldBody.length());
    oldBody = null;
  }

  /**
   * OLD's answer once its body ended: the copy with OLD's trailers, or its length and digest when it was over the cap.
   */
  BackendResult oldAnswer(int status, dev.shadowparity.engine.Headers headers, long latencyNanos,
      dev.shadowparity.engine.Headers trailers) {
    if (oldDigest == null) {
      return new RecordedResponse(status, headers, oldBody.getBytes(), latencyNanos, trailers);
    }
    return (oldStopped ? oldDigest.stopped(status, headers) : oldDigest.complete(status, headers)).withLatency(latencyNanos);
  }

  /** Appends within the cap and the budget; false when the cap is passed (an over-budget chunk sets overBudget). */
  private boolean append(Buffer copy, Buffer chunk, long cap) {
    if ((long) copy.length() + chunk.length() > cap) {
      return false;
    }
    if (reserve(chunk.length())) {
      copy.appendBuffer(chunk);
    }
    return true;
  }

  boolean complete() {
    return oldResult != null && newResult != null && !secondaryPending;
  }

  Exchange toExchange() {
    return new Exchange(request, oldResult, newResult, secondaryOld, writeSequence);
  }
}
