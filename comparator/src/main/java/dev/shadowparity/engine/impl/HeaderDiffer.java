package dev.shadowparity.engine.impl;

import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.MediaType;
import dev.shadowparity.engine.Rules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares headers after normalization: names case-insensitive; ignored, hop-by-hop and
 * Connection-named headers left out; Content-Type by media type; list headers as sorted token lists;
 * Vary without Accept-Encoding; Set-Cookie by cookie name and attributes, never by value; ETag,
 * Last-Modified, Expires and Cache-Control by presence and kind ({@link ValidatorKinds}) unless the rules
 * compare them by value.
 */
final class HeaderDiffer {

  /**
   * Headers whose value is a comma list where token order carries no meaning. Cache-Control is compared so only
   * when {@code compare-headers} names it; by default only its directive names count ({@link ValidatorKinds}).
   */
  private static final Set<String> TOKEN_LIST_HEADERS = Set.of(
      "cache-control", "vary", "allow", "access-control-allow-methods", "access-control-allow-headers",
      "access-control-expose-headers", "content-language", "accept-ranges", "pragma");
  /** Tokens compared case-insensitively in those lists. */
  private static final Set<String> CASE_INSENSITIVE_TOKENS = Set.of(
      "cache-control", "vary", "access-control-allow-headers", "access-control-expose-headers", "pragma");

  private HeaderDiffer() {}

  static void diff(Headers oldHeaders, MediaType oldType, Headers newHeaders, MediaType newType, Rules rules, DiffSink sink) {
    Map<String, Value> a = normalize(oldHeaders, oldType, rules);
    Map<String, Value> b = normalize(newHeaders, newType, rules);
    for (Map.Entry<String, Value> e : a.entrySet()) {
      String name = e.getKey();
      Value other = b.get(name);
      if (other == null) {
        sink.add("header:" + name, name, DiffKind.MISSING, e.getValue().shown(), null);
      } else if (!other.compared().equals(e.getValue().compared())) {
        sink.add("header:" + name, name, DiffKind.VALUE, e.getValue().shown(), other.shown());
      }
    }
    for (Map.Entry<String, Value> e : b.entrySet()) {
      if (!a.containsKey(e.getKey()) && rules.countsExtraHeaders()) {
        sink.add("header:" + e.getKey(), e.getKey(), DiffKind.EXTRA, null, e.getValue().shown());
      }
    }
    if (!rules.ignoresHeader("set-cookie")) {
      diffCookies(oldHeaders.getAll("set-cookie"), newHeaders.getAll("set-cookie"), rules.countsExtraHeaders(), sink);
    }
  }

  /**
   * A header's normalized form: {@code compared} decides equality, {@code shown} is what a difference shows. They are
   * the same but for headers compared by kind, whose differences show the values as received, not their kind.
   */
  record Value(String compared, String shown) {}

  /** Lower-case name to normalized value, sorted by name; Set-Cookie excluded (compared separately). */
  static Map<String, Value> normalize(Headers headers, MediaType type, Rules rules) {
    Set<String> connectionNamed = connectionTokens(headers);
    // (lower-case name, value) pairs kept, sorted by name (stable: values of one name stay in order)
    List<String[]> kept = new ArrayList<>(headers.size());
    List<Map.Entry<String, String>> entries = headers.entries();
    for (int i = 0; i < entries.size(); i++) {
      String name = headers.lowerCaseName(i);
      if (name.equals("set-cookie") || rules.ignoresLowerCaseHeader(name) || connectionNamed.contains(name)) {
        continue;
      }
      kept.add(new String[] {name, entries.get(i).getValue()});
    }
    kept.sort((x, y) -> x[0].compareTo(y[0]));
    Map<String, Value> normalized = new TreeMap<>();
    for (int i = 0; i < kept.size(); ) {
      String name = kept.get(i)[0];
      int j = i + 1;
      while (j < kept.size() && kept.get(j)[0].equals(name)) {
        j++;
      }
      List<String> values = new ArrayList<>(j - i);
      for (int k = i; k < j; k++) {
        values.add(kept.get(k)[1]);
      }
      Value value = value(name, values, type, rules);
      if (value != null) {
        normalized.put(name, value);
      }
      i = j;
    }
    return normalized;
  }

  private static Set<String> connectionTokens(Headers headers) {
    if (headers.get("connection") == null) {
      return Set.of();
    }
    List<String> values = headers.getAll("connection");
    Set<String> tokens = new HashSet<>();
    for (String v : values) {
      if (v.equalsIgnoreCase("keep-alive") || v.equalsIgnoreCase("close")) {
        tokens.add(v.toLowerCase(Locale.ROOT)); // nearly every message: nothing to split
        continue;
      }
      for (String t : v.split(",")) {
        tokens.add(t.trim().toLowerCase(Locale.ROOT));
      }
    }
    return tokens;
  }

  /** One header's normalized value, or {@code null} when it carries nothing once normalized. */
  private static Value value(String name, List<String> values, MediaType type, Rules rules) {
    if (name.equals("content-type")) {
      String canonical = type.canonical();
      return new Value(canonical, canonical);
    }
    if (rules.comparesByKind(name)) {
      String kind = ValidatorKinds.kind(name, values);
      return kind == null ? null : new Value(kind, asReceived(values));
    }
    String normalized = normalizeValue(name, values);
    return normalized == null ? null : new Value(normalized, normalized);
  }

  /** The values as received, white space collapsed, lines joined with a comma. */
  private static String asReceived(List<String> values) {
    List<String> cleaned = new ArrayList<>(values.size());
    for (String v : values) {
      cleaned.add(Whitespace.collapse(v));
    }
    return String.join(", ", cleaned);
  }

  /** The normalized value, or {@code null} when the header carries nothing once normalized. */
  private static String normalizeValue(String name, List<String> values) {
    if (TOKEN_LIST_HEADERS.contains(name)) {
      List<String> tokens = new ArrayList<>();
      boolean lower = CASE_INSENSITIVE_TOKENS.contains(name);
      for (String v : values) {
        for (String t : v.indexOf(',') < 0 ? new String[] {v} : v.split(",")) {
          String token = Whitespace.collapse(t);
          if (lower) {
            token = tightenEquals(token.toLowerCase(Locale.ROOT));
          }
          if (!token.isEmpty() && !(name.equals("vary") && token.equals("accept-encoding"))) {
            tokens.add(token);
          }
        }
      }
      if (tokens.isEmpty()) {
        return null;
      }
      tokens.sort(null);
      return String.join(", ", tokens);
    }
    return asReceived(values);
  }

  /** {@code max-age = 60} as {@code max-age=60}; returned as is when there is nothing to remove. */
  static String tightenEquals(String token) {
    int eq = token.indexOf('=');
    if (eq < 0 || ((eq == 0 || token.charAt(eq - 1) != ' ') && (eq + 1 >= token.length() || token.charAt(eq + 1) != ' '))) {
      return token;
    }
    return token.substring(0, eq).trim() + "=" + token.substring(eq + 1).trim();
  }

  private static void diffCookies(List<String> oldCookies, List<String> newCookies, boolean countExtra, DiffSink sink) {
    if (oldCookies.isEmpty() && newCookies.isEmpty()) {
      return;
    }
    Map<String, String> a = cookies(oldCookies);
    Map<String, String> b = cookies(newCookies);
    for (Map.Entry<String, String> e : a.entrySet()) {
      String other = b.get(e.getKey());
      if (other == null) {
        sink.add("header:set-cookie", e.getKey(), DiffKind.MISSING, e.getValue(), null);
      } else if (!other.equals(e.getValue())) {
        sink.add("header:set-cookie", e.getKey(), DiffKind.VALUE, e.getValue(), other);
      }
    }
    for (Map.Entry<String, String> e : b.entrySet()) {
      if (!a.containsKey(e.getKey()) && countExtra) {
        sink.add("header:set-cookie", e.getKey(), DiffKind.EXTRA, null, e.getValue());
      }
    }
  }

  /**
   * Cookie name to its comparable form: the name, then the attributes sorted, each lower-cased by name;
   * the value is left out, as is the date of Expires (only its presence is compared).
   */
  static Map<String, String> cookies(List<String> setCookies) {
    Map<String, String> cookies = new TreeMap<>();
    for (String header : setCookies) {
      String[] parts = header.split(";", -1); // -1: only semicolons give empty parts, never none
      String pair = parts[0].trim();
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq).trim();
      String[] attrs = new String[parts.length - 1];
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int aeq = p.indexOf('=');
        String an = (aeq < 0 ? p : p.substring(0, aeq)).trim().toLowerCase(Locale.ROOT);
        String av = aeq < 0 ? null : p.substring(aeq + 1).trim();
        switch (an) {
          case "expires":
            av = null;
            break;
          case "domain":
            av = av == null ? null : av.toLowerCase(Locale.ROOT);
            if (av != null && av.startsWith(".")) {
              av = av.substring(1);
            }
            break;
          case "samesite":
            av = av == null ? null : av.toLowerCase(Locale.ROOT);
            break;
          default:
            break;
        }
        attrs[i - 1] = av == null ? an : an + "=" + av;
      }
      Arrays.sort(attrs);
      StringBuilder sb = new StringBuilder(name);
      for (String attr : attrs) {
        if (!attr.isEmpty()) {
          sb.append("; ").append(attr);
        }
      }
      cookies.merge(name, sb.toString(), (x, y) -> x + " | " + y);
    }
    return cookies;
  }
}
