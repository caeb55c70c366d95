package dev.shadowparity.engine;

import dev.shadowparity.engine.impl.DefaultResponseComparator;

/**
 * Compares two responses: decodes both bodies, normalizes by the rules and lists every difference in
 * status, headers and body. Thread-safe; never throws for bad response content (an undecodable body is
 * a difference of kind {@link DiffKind#UNDECODABLE} or, when both are equally broken, a match).
 */
public interface ResponseComparator {

  static ResponseComparator create() {
    return create(new CompareOptions());
  }

  static ResponseComparator create(CompareOptions options) {
    return new DefaultResponseComparator(options);
  }

  Comparison compare(RecordedResponse oldResponse, RecordedResponse newResponse, Rules rules);

  /**
   * Compares two answers to a request: as {@link #compare(RecordedResponse, RecordedResponse, Rules)}, and a gRPC call
   * ({@code content-type: application/grpc*}) as gRPC: its status, message and trailers, and its messages decoded by
   * the method's types (docs/protocols.md, "gRPC").
   *
   * @param request the request both answered; {@code null} when unknown (a gRPC answer is then read by field number)
   */
  default Comparison compare(RecordedRequest request, RecordedResponse oldResponse, RecordedResponse newResponse, Rules rules) {
    return compare(request, oldResponse, newResponse, rules, Sides.OLD_NEW);
  }

  /**
   * As {@link #compare(RecordedRequest, RecordedResponse, RecordedResponse, Rules)}, saying which stacks answered: with
   * {@link Sides#OLD_OLD} both answers of a gRPC call are read with OLD's types (NEW's schema may differ).
   */
  default Comparison compare(RecordedRequest request, RecordedResponse first, RecordedResponse second, Rules rules, Sides sides) {
    return compare(first, second, rules);
  }

  /**
   * Judges two answers of which at least one is {@link OversizedResponse} (its body over the copy cap, not held):
   * status and headers as usual; the bodies by digest when both are over the cap (equal digests, lengths and
   * Content-Encoding: equal bodies), and by size when only one is ({@link DiffKind#SIZE} when one is more than
   * {@link #SIZE_RATIO} times the other, the kept one measured decoded; an encoded body over the cap only counts as
   * far larger). Returns {@code null} when nothing but the bodies could differ and they cannot be judged: both
   * over the cap with different (or unknown) digests, or sizes that do not tell.
   *
   * @param oldResult a {@link RecordedResponse} or {@link OversizedResponse}
   * @param newResult a {@link RecordedResponse} or {@link OversizedResponse}
   */
  Comparison compareLarge(BackendResult oldResult, BackendResult newResult, Rules rules);

  /** Sizes further apart than this factor are a difference even unread (pretty-printing alone rarely triples JSON). */
  long SIZE_RATIO = 8;

  /** Decodes one response body as the comparison would. */
  DecodedBody decode(RecordedResponse response);

  /** Decodes any body (a request's, a captured one) under its headers, as the comparison would decode a response's. */
  DecodedBody decode(Headers headers, byte[] body);
}
