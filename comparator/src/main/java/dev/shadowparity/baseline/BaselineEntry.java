package dev.shadowparity.baseline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.config.InvalidValueException;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One known, intended difference a team accepted: at a field (a header, a JSON pointer with {@code *} for indices,
 * {@code status}, {@code body}), of one kind or any, on some endpoints or all ({@code *}), optionally only between
 * given OLD and NEW values ({@code "text"} exactly, or {@code /regex/} matching the whole value; {@code ~} or
 * absent: any). Who accepted it, when and why are kept with it: the file is meant to be reviewed and committed.
 *
 * @param field     the field key, as the report names it ({@code header:access-control-allow-origin}, {@code /id})
 * @param kind      {@code value}, {@code type}, {@code missing}, {@code extra}, ...; absent: any kind
 * @param endpoints endpoint names ({@code GET /posts/{id}}) or {@code *}; absent: all
 * @param old       OLD's value: exact text or {@code /regex/}; absent: any
 * @param neu       NEW's value, likewise
 * @param reason    why the difference is intended (required)
 * @param by        who accepted it
 * @param at        when (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"field", "kind", "endpoints", "old", "new", "reason", "by", "at"})
public record BaselineEntry(String field, String kind, List<String> endpoints, String old,
    @JsonProperty("new") String neu, String reason, String by, String at) {

  /** Every endpoint. */
  public static final String ALL = "*";

  public BaselineEntry {
    if (field == null || field.isBlank()) {
      throw new InvalidValueException("field", "is required: the field key as the report names it, e.g. header:etag or /id");
    }
    field = field.trim();
    if (field.regionMatches(true, 0, "header:", 0, 7)) {
      field = field.toLowerCase(java.util.Locale.ROOT); // header names are compared and reported in lower case
    }
    if (kind != null) {
      try {
        DiffKind.fromWireName(kind);
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException("kind", "unknown kind '" + kind + "'; one of value, type, missing, extra, "
            + "array-length, array-order, undecodable, size", e);
      }
    }
    endpoints = endpoints == null || endpoints.isEmpty() ? List.of(ALL) : List.copyOf(endpoints);
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i) == null || endpoints.get(i).isBlank()) {
        throw new InvalidValueException("endpoints[" + i + "]", "must be an endpoint name such as 'GET /posts/{id}', or *");
      }
    }
    pattern(old, "old");
    pattern(neu, "new");
    if (reason == null || reason.isBlank()) {
      throw new InvalidValueException("reason", "is required: say why this difference is intended");
    }
  }

  /**
   * A short stable id of what the entry accepts (field, kind, endpoints, values), not of who or why: the same
   * acceptance written twice has one id.
   */
  @JsonIgnore
  public String id() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String what = field + "\n" + kind + "\n" + String.join("\n", endpoints.stream().sorted().toList()) + "\n" + old + "\n" + neu;
      return HexFormat.of().formatHex(sha.digest(what.getBytes(StandardCharsets.UTF_8)), 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Whether it names this endpoint (or all). */
  public boolean covers(String endpoint) {
    return endpoints.contains(ALL) || endpoints.contains(endpoint);
  }

  /** Whether it accepts a (field, kind) whatever the values, i.e. it has no value condition. */
  public boolean acceptsAnyValue(String endpoint, String field, String kind) {
    return old == null && neu == null && this.field.equals(field) && (this.kind == null || this.kind.equals(kind))
        && covers(endpoint);
  }

  /**
   * A value condition compiled: {@code null} (any value), exact text, or a whole-value regular expression; without
   * regard to case for a header, whose values the comparison normalizes (token lists in lower case).
   */
  java.util.function.Predicate<String> condition(String p) {
    if (p == null) {
      return v -> true;
    }
    boolean header = field.startsWith("header:");
    if (isRegex(p)) {
      Pattern regex = Pattern.compile(p.substring(1, p.length() - 1), header ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
      return v -> v != null && regex.matcher(v).matches();
    }
    return header ? p::equalsIgnoreCase : p::equals;
  }

  static boolean isRegex(String p) {
    return p.length() >= 2 && p.startsWith("/") && p.endsWith("/");
  }

  private static void pattern(String p, String key) {
    if (p != null && isRegex(p)) {
      try {
        Pattern.compile(p.substring(1, p.length() - 1));
      } catch (PatternSyntaxException e) {
        throw new InvalidValueException(key, "not a valid regular expression: " + e.getDescription(), e);
      }
    }
  }
}
