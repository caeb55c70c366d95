package dev.shadowparity.tap.impl;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.concurrent.ByteBudget;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.http.BufferedCall;
import dev.shadowparity.http.HopByHop;
import dev.shadowparity.ledger.SkipReason;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which requests are mirrored, and with what caps: the sampler's decision (method, rate, sticky key), the request
 * body cap, and the copy cap that leaves room in the byte budget for the copies and their comparison together.
 * Decides at the request's head ({@link #admit}) and again at OLD's answer's head ({@link #overloaded}).
 */
final class Admission {

  /** What admission decided: a skip reason, or a ticket (the exchange that follows the request). */
  record Decision(SkipReason skip, ShadowExchange ticket) {}

  private final ShadowSampler sampler;
  private final AtomicInteger openExchanges;
  private final ParityEngine engine;
  private final ByteBudget budget;
  private final long requestCap;
  private final long responseCap;
  /** Response copies an exchange holds: OLD's and NEW's, and the secondary OLD's when there is one. */
  private final int copies;

  Admission(TapConfig tap, ParityEngine engine, ByteBudget budget, AtomicInteger openExchanges, boolean secondary) {
    this.engine = engine;
    this.sampler = new ShadowSampler(tap, engine.config().endpoints());
    this.openExchanges = openExchanges;
    this.budget = budget;
    this.requestCap = engine.config().limits().requestBodyBytes();
    // a body whose copies and comparison would not fit the whole byte budget together is hashed, not copied, as one
    // over the cap is: the copies (OLD, NEW and perhaps the secondary OLD) stay held while the comparison runs
    this.copies = secondary ? 3 : 2;
    this.responseCap = Math.max(1, Math.min(engine.config().limits().responseCopyBytes(),
        budget.limit() / (copies * (ComparePool.WORKING_BYTES_PER_BODY_BYTE + 1))));
  }

  /**
   * Decides at the request's head: mirrored (a started exchange) or not (why). The exchange records the head's
   * origin-form target and the client's end-to-end headers without the tap's markers, as NEW gets them.
   */
  Decision admit(HttpServerRequest req, ClientRequestHead head, String endpoint) {
    SkipReason skip = sampler.decide(req, endpoint);
    if (skip != null) {
      return new Decision(skip, null);
    }
    String length = req.getHeader("content-length");
    if (length != null && BufferedCall.parseLength(length) > requestCap) {
      return new Decision(SkipReason.BODY_TOO_LARGE, null);
    }
    ShadowExchange shadow = new ShadowExchange(endpoint, requestCap, responseCap, openExchanges, budget,
        engine.writeSequence());
    MultiMap endToEnd = HopByHop.clientRequest(req.headers());
    shadow.started(endToEnd, new RecordedRequest(req.method().name(), head.uri(), HopByHop.toHeaders(endToEnd), null,
        req.version() == io.vertx.core.http.HttpVersion.HTTP_2 ? RecordedRequest.HTTP_2 : RecordedRequest.HTTP_1_1));
    return new Decision(null, shadow);
  }

  /** The most body bytes copied of an answer; past it, the body is hashed. */
  long responseCap() {
    return responseCap;
  }

  /**
   * Whether the copies and the comparison of answers of this Content-Length (within the copy cap) do not fit what is
   * left of the byte budget now (a large comparison is running, or large copies are held). Only answers of 64 KiB
   * and more are judged now; smaller ones are left to the reservations.
   */
  boolean overloaded(long length) {
    if (length < 64 * 1024) {
      return false;
    }
    long held = copies * length; // OLD's answer and NEW's (and the secondary's), which OLD's Content-Length stands for
    return budget.used() + ComparePool.workingBytes(held) + held > budget.limit();
  }
}
