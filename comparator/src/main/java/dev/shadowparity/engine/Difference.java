package dev.shadowparity.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One difference between the OLD and the NEW response.
 *
 * @param field    counting key: {@code status}, {@code header:<name>}, {@code body}, or a JSON Pointer with
 *                 array indices replaced by {@code *} ({@code /items/*&#47;price})
 * @param path     exact location: the JSON Pointer with indices ({@code /items/3/price}), the header name,
 *                 a cookie name, or empty
 * @param kind     what sort of difference
 * @param oldValue OLD's value rendered as text and truncated, {@code null} when absent
 * @param newValue NEW's value rendered as text and truncated, {@code null} when absent
 * @param detail   extra text for people, e.g. the unified diff of a text body; {@code null} when none
 * @param cause    the likely cause ({@link DifferenceClassifier}), {@code null} when unclassified
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"field", "path", "kind", "old", "new", "cause", "detail"})
public record Difference(String field, String path, DiffKind kind, @JsonProperty("old") String oldValue,
    @JsonProperty("new") String newValue, String detail, Cause cause) {

  public Difference {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(kind, "kind");
    path = path == null ? "" : path;
  }

  public Difference(String field, String path, DiffKind kind, String oldValue, String newValue, String detail) {
    this(field, path, kind, oldValue, newValue, detail, null);
  }

  public Difference(String field, String path, DiffKind kind, String oldValue, String newValue) {
    this(field, path, kind, oldValue, newValue, null, null);
  }

  /** Where it is, typed ({@link Location}); not part of the JSON form, which keeps {@code field} and {@code path}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Location location() {
    return Location.of(field, path);
  }

  /** This difference with a likely cause ({@code null}: unclassified); itself when the cause is already that. */
  public Difference withCause(Cause cause) {
    return cause == this.cause ? this : new Difference(field, path, kind, oldValue, newValue, detail, cause);
  }

  @Override
  public String toString() {
    String where = path.isEmpty() || path.equals(field) ? field : field + " (" + path + ")";
    return where + " " + kind + ": " + oldValue + " -> " + newValue + (cause == null ? "" : " (likely " + cause + ")");
  }
}
