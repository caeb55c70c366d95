package dev.shadowparity.ledger;

import dev.shadowparity.endpoint.EndpointTemplater;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The shape of a request's query: the sorted, distinct names of its parameters ({@code ?_order&_sort}, {@code ?q}),
 * never their values. Within one endpoint, counts by shape show which feature broke: {@code GET /posts?q} while
 * {@code GET /posts?_page} did not. Only names that look like parameter names are shown (letters, digits,
 * {@code _ . - $ [ ]}): one that looks like an id or a token ({@code ?AKIA...} with no value) is {@code {id}}, a
 * very long one {@code {long}}, anything else ({@code ?john@example.com}, {@code ?key%3Dvalue}) {@code {value}}, so
 * that no value reaches a report under a name's guise.
 */
public final class QueryShape {

  /** The shape of a request without a query. */
  public static final String NONE = "";
  /** The bucket of shapes past {@link #MAX_PER_ENDPOINT}. */
  public static final String OTHER = "(other shapes)";
  /** Distinct shapes counted per endpoint. */
  public static final int MAX_PER_ENDPOINT = 32;
  static final int MAX_NAME_CHARS = 40;
  static final int MAX_SHAPE_CHARS = 256;
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_$][A-Za-z0-9_.$\\-\\[\\]]*");

  private QueryShape() {}

  /** The shape of a request target ({@code /posts?_sort=id&_order=desc} gives {@code ?_order&_sort}). */
  public static String of(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return NONE;
    }
    int end = uri.indexOf('#', q);
    String query = uri.substring(q + 1, end < 0 ? uri.length() : end);
    TreeSet<String> names = new TreeSet<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      names.add(name(eq < 0 ? pair : pair.substring(0, eq)));
    }
    if (names.isEmpty()) {
      return NONE;
    }
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      b.append(b.length() == 0 ? '?' : '&').append(n);
      if (b.length() > MAX_SHAPE_CHARS) {
        return b.substring(0, MAX_SHAPE_CHARS) + "…";
      }
    }
    return b.toString();
  }

  private static String name(String raw) {
    String n;
    try {
      n = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      n = raw; // a broken escape: the name as sent
    }
    if (n.length() > MAX_NAME_CHARS) {
      return "{long}";
    }
    if (EndpointTemplater.looksLikeId(n) || (n.length() >= 16 && n.chars().anyMatch(Character::isDigit))) {
      return "{id}"; // parameter names are words; a long one with digits is a value sent bare (?AKIA...)
    }
    // only what looks like a parameter name is shown; anything else (an e-mail sent bare, an encoded pair) may be a
    // value, and values never reach a report
    return NAME.matcher(n).matches() ? n : "{value}";
  }
}
