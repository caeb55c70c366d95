package dev.shadowparity.engine.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The comparable kind of the headers in {@code Rules.KIND_COMPARED_HEADERS}: what must agree between OLD and NEW
 * when their values, by design, do not. An ETag's kind is {@code strong} or {@code weak} (a weak one starts with
 * {@code W/}, case-sensitive as RFC 9110 section 8.8.3 writes it; anything else counts as strong), since that decides
 * which conditional requests can still answer 304. Last-Modified and Expires only count as present, whatever their
 * value (an unparseable or {@code 0} Expires too). Cache-Control is its directive names, sorted and lower case, with
 * their values dropped: {@code max-age=60} equals {@code max-age=3600}, {@code private} differs from {@code public}.
 *
 * <p>The kind is only for the equality test; a difference shows the values as received.
 */
final class ValidatorKinds {

  private ValidatorKinds() {}

  /** The kind of a header's values (all its lines, in order), or {@code null} when it carries nothing to compare. */
  static String kind(String lowerName, List<String> values) {
    return switch (lowerName) {
      case "etag" -> etagKinds(values);
      case "cache-control" -> directiveNames(values);
      default -> "present";
    };
  }

  /** {@code weak} or {@code strong} per ETag line; one line is the norm, more are kept in order. */
  private static String etagKinds(List<String> values) {
    List<String> kinds = new ArrayList<>(values.size());
    for (String v : values) {
      kinds.add(v.strip().startsWith("W/") ? "weak" : "strong");
    }
    return String.join(", ", kinds);
  }

  /**
   * The directive names of every Cache-Control line, sorted, each once. Commas inside a quoted value
   * ({@code private="set-cookie, x-user"}) do not split directives.
   */
  static String directiveNames(List<String> values) {
    TreeSet<String> names = new TreeSet<>();
    for (String v : values) {
      for (String directive : splitOutsideQuotes(v)) {
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names.isEmpty() ? null : String.join(", ", names);
  }

  private static List<String> splitOutsideQuotes(String value) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\') {
        i++; // a quoted-pair: the next character is taken as is
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    return parts;
  }
}
