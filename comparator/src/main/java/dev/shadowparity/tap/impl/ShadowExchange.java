package dev.shadowparity.tap.impl;

import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedRequest;
import io.vertx.core.buffer.Buffer;

/**
 * The state of one mirrored request while OLD and NEW answer: the buffered request body, the capped copy
 * of OLD's response body, and both results. Touched only from the request's event loop.
 */
final class ShadowExchange {

  final String endpoint;
  final long requestCap;
  final long responseCap;
  private Buffer requestBody = Buffer.buffer();
  private Buffer oldBody = Buffer.buffer();
  boolean requestTooLarge;
  boolean oldTooLarge;
  boolean done;
  boolean newSent;
  RecordedRequest request;
  BackendResult oldResult;
  BackendResult newResult;

  ShadowExchange(String endpoint, long requestCap, long responseCap) {
    this.endpoint = endpoint;
    this.requestCap = requestCap;
    this.responseCap = responseCap;
  }

  /** Keeps a copy of request bytes, until the running total passes the cap. */
  void appendRequest(Buffer chunk) {
    if (requestTooLarge) {
      return;
    }
    if ((long) requestBody.length() + chunk.length() > requestCap) {
      requestTooLarge = true;
      requestBody = null;
      return;
    }
    requestBody.appendBuffer(chunk);
  }

  byte[] requestBytes() {
    return requestBody.getBytes();
  }

  /** Keeps a copy of OLD's response bytes, until the running total passes the cap. */
  void appendOld(Buffer chunk) {
    if (oldTooLarge) {
      return;
    }
    if ((long) oldBody.length() + chunk.length() > responseCap) {
      oldTooLarge = true;
      oldBody = null;
      return;
    }
    oldBody.appendBuffer(chunk);
  }

  byte[] oldBytes() {
    return oldBody.getBytes();
  }

  boolean complete() {
    return oldResult != null && newResult != null;
  }

  Exchange toExchange() {
    return new Exchange(request, oldResult, newResult);
  }
}
