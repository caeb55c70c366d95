package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.engine.Difference;
import java.time.Instant;
import java.util.List;

/**
 * One mismatching (or failed) exchange kept as evidence, secrets redacted, bodies truncated.
 *
 * @param at          when it was recorded
 * @param fields      the field keys it differed at
 * @param request     what was sent
 * @param old         OLD's response
 * @param neu         NEW's response
 * @param differences the differences found
 * @param error       what failed, for an exchange that could not be compared
 * @param write       for a read that mismatched after a write that reached OLD only, that write (its likely cause:
 *                    {@code write-not-mirrored}), e.g. {@code PUT /api/users/7 (OLD answered 200) at ...}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"at", "fields", "request", "old", "new", "differences", "error", "write"})
public record Sample(Instant at, List<String> fields, Request request, Response old,
    @JsonProperty("new") Response neu, List<Difference> differences, String error, String write) {

  /** A sample without a write that explains it. */
  public Sample(Instant at, List<String> fields, Request request, Response old, Response neu, List<Difference> differences,
      String error) {
    this(at, fields, request, old, neu, differences, error, null);
  }

  /** The request as sent, headers redacted. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"method", "uri", "headers", "body"})
  public record Request(String method, String uri, List<List<String>> headers, String body) {}

  /**
   * A response, headers redacted, body decoded to text where possible and truncated.
   *
   * @param bodyKind  json, html, text, form, binary, empty
   * @param body      the decoded text (or a summary for binary bodies)
   * @param truncated whether the body was cut
   * @param problem   why the body could not be decoded, if so
   * @param latencyMs time to the last byte
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"status", "headers", "bodyKind", "body", "truncated", "problem", "latencyMs"})
  public record Response(Integer status, List<List<String>> headers, String bodyKind, String body,
      Boolean truncated, String problem, Double latencyMs) {}
}
