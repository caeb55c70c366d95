package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry of the baseline a report was made with, and what it did in this evidence.
 *
 * @param id        the entry's id (what it accepts, digested), as in the endpoints' {@code acceptedBy}
 * @param accepted  compared exchanges in which it accepted a difference
 * @param state     {@code in-use} (it accepted differences here); {@code recorded} (nothing accepted, but mismatches
 *                  recorded before it was applied are at its field and kind: a tap or replay run with the baseline
 *                  will accept them); {@code stale} (its endpoints were compared and the difference no longer occurs:
 *                  remove it); {@code no-evidence} (none of its endpoints was compared)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "field", "kind", "endpoints", "old", "new", "reason", "by", "at", "accepted", "state"})
public record BaselineUse(String id, String field, String kind, List<String> endpoints, String old,
    @JsonProperty("new") String neu, String reason, String by, String at, long accepted, String state) {

  public static final String IN_USE = "in-use";
  public static final String RECORDED = "recorded";
  public static final String STALE = "stale";
  public static final String NO_EVIDENCE = "no-evidence";

  public BaselineUse {
    endpoints = List.copyOf(endpoints);
  }
}
