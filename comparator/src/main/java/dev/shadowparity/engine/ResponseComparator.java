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

  /** Decodes one response body as the comparison would. */
  DecodedBody decode(RecordedResponse response);
}
