package dev.shadowparity.redact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.shadowparity.config.RedactConfig;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Headers;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How secrets are masked wherever exchanges are kept (samples in reports and in the store, captures); the
 * comparison itself sees the real values.
 *
 * <ul>
 *   <li>Headers: Authorization-like ones become {@code [redacted]}; Cookie keeps its cookie names
 *       ({@code sid=[redacted]; theme=[redacted]}); Set-Cookie keeps name and attributes
 *       ({@code sid=[redacted]; Path=/; HttpOnly}), so a difference in cookie attributes stays readable while no
 *       value ever leaves the process.</li>
 *   <li>Bodies: the values of secret fields ({@link RedactConfig#fields()}) in JSON (at any depth, a whole object or
 *       array when the key is secret), in form and query parameters ({@code password=...}) and in JSON-looking
 *       pairs of text that is not valid JSON. JSON is rewritten in place: everything but the masked values keeps its
 *       exact text.</li>
 *   <li>Card-number-like strings anywhere in a body or a value: 13 to 19 digits (single spaces or dashes between
 *       them allowed) starting with 2 to 6 that pass the Luhn check.</li>
 *   <li>Differences: the values of a difference at a secret field or header are masked, and the rest go through the
 *       body rules.</li>
 * </ul>
 *
 * <p>Why one file of this length: it is every place a secret can hide (headers, cookies, URIs, JSON, forms,
 * multipart, free text, differences), kept together so that one rule masks alike everywhere; card numbers are
 * apart ({@link CardNumbers}).
 */
public final class Redaction {

  private static final Logger LOG = LoggerFactory.getLogger(Redaction.class);

  /** Headers always masked. */
  public static final Set<String> DEFAULT_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
  public static final String MASK = "[redacted]";
  private static final String JSON_MASK = "\"" + MASK + "\"";
  /** What is kept of a body that could not be checked for secrets. */
  static final String UNCHECKED = "[redacted: could not be checked for secrets]";
  public static final Redaction DEFAULT = of(RedactConfig.DEFAULTS);

  private static final JsonFactory JSON = JsonFactory.builder().build();
  /** {@code "key": value} in text that is not valid JSON (a truncated body, JSON inside HTML...). */
  private static final Pattern JSON_PAIR = Pattern.compile(
      "\"([^\"\\\\]{0,128}+(?:\\\\.[^\"\\\\]{0,128}+){0,16}+)\"(\\s*+:\\s*+)"
          + "(\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"?|\\[[^\\]]*+\\]?|\\{[^}]*+}?|[^\\s,}\\]]++)");
  /** {@code key=value} of forms, query strings and logs. */
  private static final Pattern PARAM_PAIR =
      Pattern.compile("(?<![A-Za-z0-9_.%\\[\\]-])([A-Za-z0-9_.%\\[\\]-]{1,128}+)=(\"[^\"]*+\"?|'[^']*+'?|[^&\\s;#\"'<]*+)");
  /** A multipart/form-data part: {@code name="..."} in its headers, a blank line, then the value's first line. */
  private static final Pattern MULTIPART_PART = Pattern.compile(
      "(name=\"([^\"\\r\\n]{1,128}+)\"[^\\r\\n]*+\\r?\\n(?:[^\\r\\n]++\\r?\\n){0,16}+\\r?\\n)([^\\r\\n]*+)");
  /** A run of digits with single spaces or dashes between them; card-like windows are looked for inside. */

  private final Set<String> headers;
  private final List<String> fields;
  private final boolean cardNumbers;
  private final List<Pattern> pathSegments;
  /** {@code ;name=value} path parameters ({@code ;jsessionid=...}). */
  private static final Pattern PATH_PARAM = Pattern.compile(";([^/;?#=]{1,128}+)=([^/;?#]*+)");

  private Redaction(Set<String> headers, List<String> fields, boolean cardNumbers, List<Pattern> pathSegments) {
    this.headers = Set.copyOf(headers);
    this.fields = List.copyOf(fields);
    this.cardNumbers = cardNumbers;
    this.pathSegments = List.copyOf(pathSegments);
  }

  /** The masking a {@code redact:} block asks for, on top of the defaults. */
  public static Redaction of(RedactConfig config) {
    Set<String> h = new HashSet<>(DEFAULT_HEADERS);
    config.headers().forEach(name -> h.add(name.toLowerCase(Locale.ROOT)));
    Set<String> f = new java.util.LinkedHashSet<>();
    RedactConfig.DEFAULT_FIELDS.forEach(name -> f.add(RedactConfig.normalize(name)));
    config.fields().forEach(name -> f.add(RedactConfig.normalize(name)));
    return new Redaction(h, new ArrayList<>(f), config.cardNumbers(), config.pathSegmentPatterns());
  }

  /** Whether a header's value is masked. */
  public boolean isSecretHeader(String name) {
    return headers.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Whether the value of a body field (JSON key, form or query parameter) of this name is masked. */
  public boolean isSecretField(String name) {
    String n = RedactConfig.normalize(name);
    if (n.isEmpty()) {
      return false;
    }
    for (String f : fields) {
      if (n.endsWith(f)) {
        return true;
      }
    }
    return false;
  }

  /** The value to keep for a header. */
  public String value(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (!headers.contains(lower)) {
      return params(value); // Location: /cb?access_token=..., Referer, Link...
    }
    return switch (lower) {
      case "set-cookie" -> maskCookieValue(value);
      case "cookie" -> maskCookiePairs(value);
      default -> MASK;
    };
  }

  /** Header pairs, in order, with secrets masked. */
  public List<List<String>> headers(Headers h) {
    List<List<String>> out = new ArrayList<>(h.size());
    for (Map.Entry<String, String> e : h.entries()) {
      out.add(List.of(e.getKey(), value(e.getKey(), e.getValue())));
    }
    return out;
  }

  /** A request target with the values of secret query parameters (and card numbers) masked. */
  public String uri(String uri) {
    String u = withoutUserinfo(uri);
    int q = u.indexOf('?');
    String path = q < 0 ? u : u.substring(0, q);
    return path(path) + (q < 0 ? "" : "?" + params(u.substring(q + 1)));
  }

  /**
   * An absolute-form target without its userinfo: {@code http://bob:SECRET@x/a} is {@code http://x/a}. A request
   * line may carry credentials there, and they never leave the process.
   */
  public static String withoutUserinfo(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme <= 0 || uri.startsWith("/")) {
      return uri;
    }
    int start = scheme + 3;
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    int at = uri.lastIndexOf('@', end - 1);
    return at < start ? uri : uri.substring(0, start) + uri.substring(at + 1);
  }

  /**
   * A path with its secrets masked: {@code ;name=value} path parameters of a secret name ({@code ;jsessionid=}), card
   * numbers, and the segments matching {@code redact.path-segments}.
   */
  String path(String path) {
    String p = replacePairs(PATH_PARAM, path, m -> isSecretField(urlDecode(m.group(1))), m -> ";" + m.group(1) + "=" + MASK);
    if (!pathSegments.isEmpty()) {
      String[] segments = p.split("/", -1);
      boolean changed = false;
      for (int i = 0; i < segments.length; i++) {
        if (!segments[i].isEmpty() && secretSegment(urlDecode(segments[i]))) {
          segments[i] = MASK;
          changed = true;
        }
      }
      p = changed ? String.join("/", segments) : p;
    }
    return cards(p);
  }

  /** Whether a path segment (decoded) matches a configured secret pattern. */
  public boolean secretSegment(String segment) {
    for (Pattern pattern : pathSegments) {
      if (pattern.matcher(segment).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A body as text with its secrets masked: JSON rewritten in place when it parses, otherwise the text rules
   * (JSON-looking pairs, {@code key=value} pairs, card numbers).
   */
  public String body(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i < text.length() && (text.charAt(i) == '{' || text.charAt(i) == '[')) {
      String masked = json(text);
      if (masked != null) {
        return masked;
      }
    }
    return text(text);
  }

  /** A difference with the values kept for people masked like the bodies they came from. */
  public Difference difference(Difference d) {
    boolean secret;
    String field = d.field();
    if (field.startsWith("header:")) {
      String name = field.substring("header:".length());
      if (name.equals("set-cookie") && isSecretHeader(name)) {
        return new Difference(d.field(), d.path(), d.kind(), cookieValue(d.oldValue()), cookieValue(d.newValue()),
            d.detail() == null ? null : MASK, d.cause());
      }
      secret = isSecretHeader(name);
    } else if (field.startsWith("trailer:")) {
      secret = isSecretHeader(field.substring("trailer:".length())); // a gRPC trailer: a header sent after the body
    } else {
      secret = pointerHasSecret(d.path()) || pointerHasSecret(field);
    }
    if (secret) {
      return new Difference(d.field(), d.path(), d.kind(), d.oldValue() == null ? null : MASK,
          d.newValue() == null ? null : MASK, d.detail() == null ? null : MASK, d.cause());
    }
    String o = maskValue(d.oldValue());
    String n = maskValue(d.newValue());
    String detail = d.detail() == null ? null : text(d.detail());
    if (java.util.Objects.equals(o, d.oldValue()) && java.util.Objects.equals(n, d.newValue())
        && java.util.Objects.equals(detail, d.detail())) {
      return d;
    }
    return new Difference(d.field(), d.path(), d.kind(), o, n, detail, d.cause());
  }

  /** Differences, each through {@link #difference(Difference)}. */
  public List<Difference> differences(List<Difference> ds) {
    List<Difference> out = new ArrayList<>(ds.size());
    ds.forEach(d -> out.add(difference(d)));
    return out;
  }

  /** A Set-Cookie value of a difference: the differ's comparable form ({@code sid; httponly; path=/}) has no value. */
  private static String cookieValue(String v) {
    if (v == null) {
      return null;
    }
    int semi = v.indexOf(';');
    String first = semi < 0 ? v : v.substring(0, semi);
    return first.indexOf('=') < 0 ? v : maskCookieValue(v);
  }

  /** A value rendered by the differ: a JSON text (string with quotes, object...) or plain text. */
  private String maskValue(String v) {
    return v == null ? null : body(v);
  }

  private boolean pointerHasSecret(String pointer) {
    if (pointer == null || !pointer.startsWith("/")) {
      return false;
    }
    for (String segment : pointer.substring(1).split("/", -1)) {
      if (isSecretField(segment.replace("~1", "/").replace("~0", "~"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * JSON with secret values replaced in place, or {@code null} when the text is not JSON (the caller then uses
   * the text rules). Offsets come from the parser, so whitespace, key order and number spelling are kept.
   */
  private String json(String text) {
    StringBuilder out = null;
    int copied = 0;
    try (JsonParser p = JSON.createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        // in an object, the key of this value (for a nested object or array too); in an array, null
        String name = p.currentName();
        String replacement = null;
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (name != null && isSecretField(name)) {
          if (t.isStructStart()) {
            p.skipChildren();
          } else {
            p.getText();
          }
          replacement = JSON_MASK;
        } else if (t == JsonToken.VALUE_STRING) {
          String s = p.getText();
          String masked = body(s); // a=1&password=..., JSON in a string, card numbers
          if (!masked.equals(s)) {
            replacement = "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(masked)) + "\"";
          }
        }
        if (replacement != null) {
          int end = (int) p.currentLocation().getCharOffset();
          if (out == null) {
            out = new StringBuilder(text.length());
          }
          out.append(text, copied, start).append(replacement);
          copied = end;
        }
      }
    } catch (JsonProcessingException e) {
      LOG.trace("body is not valid JSON, masked by the text rules: {}", e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading JSON from a string", e);
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** The text rules: JSON-looking pairs, {@code key=value} pairs, card numbers. */
  private String text(String text) {
    try {
      return textRules(text);
    } catch (StackOverflowError e) {
      // pathological input (thousands of escapes in one string): nothing of it is kept rather than risk a secret
      LOG.warn("a body of {} characters could not be checked for secrets and is kept as {}", text.length(), UNCHECKED);
      return UNCHECKED;
    }
  }

  private String textRules(String text) {
    if (!mayHoldSecrets(text)) {
      return text;
    }
    String s = text.contains("name=\"") ? replacePairs(MULTIPART_PART, text, m -> isSecretField(m.group(2)),
        m -> m.group(1) + MASK) : text;
    s = replacePairs(JSON_PAIR, s, m -> isSecretField(unescapeJson(m.group(1))),
        m -> "\"" + m.group(1) + "\"" + m.group(2) + JSON_MASK);
    return params(s);
  }

  /** Whether any text rule could apply: a {@code =} or a {@code :} after a quote, or 13 digits. */
  private boolean mayHoldSecrets(String text) {
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '=' || c == '"') {
        return true;
      }
      if (c >= '0' && c <= '9' && ++digits >= 13 && cardNumbers) {
        return true;
      }
    }
    return false;
  }

  private String params(String s) {
    // names and values are matched decoded: pass%77ord=, or a card number sent as 4111%201111%20...
    String masked = replacePairs(PARAM_PAIR, s, m -> isSecretField(urlDecode(m.group(1)))
        || (cardNumbers && (m.group(2).indexOf('%') >= 0 || m.group(2).indexOf('+') >= 0) && !CardNumbers.mask(urlDecode(m.group(2))).equals(urlDecode(m.group(2)))),
        m -> m.group(1) + "=" + MASK);
    return cards(masked);
  }

  private static String replacePairs(Pattern pattern, String s, java.util.function.Predicate<Matcher> secret,
      java.util.function.Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(s);
    StringBuilder out = null;
    int copied = 0;
    while (m.find()) {
      if (secret.test(m)) {
        if (out == null) {
          out = new StringBuilder(s.length());
        }
        out.append(s, copied, m.start()).append(replacement.apply(m));
        copied = m.end();
      }
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** Card-number-like digits masked, when enabled ({@link CardNumbers}). */
  String cards(String s) {
    return cardNumbers ? CardNumbers.mask(s) : s;
  }

  private static String unescapeJson(String key) {
    if (key.indexOf('\\') < 0) {
      return key;
    }
    try (JsonParser p = JSON.createParser("\"" + key + "\"")) {
      p.nextToken();
      return p.getText();
    } catch (IOException e) {
      LOG.trace("key {} is not a JSON string: {}", key, e.toString());
      return key;
    }
  }

  private static String urlDecode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private static String maskCookieValue(String setCookie) {
    int eq = setCookie.indexOf('=');
    int semi = setCookie.indexOf(';');
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      return MASK;
    }
    return setCookie.substring(0, eq + 1) + MASK + (semi < 0 ? "" : setCookie.substring(semi));
  }

  private static String maskCookiePairs(String cookie) {
    return Arrays.stream(cookie.split(";"))
        .map(String::trim)
        .map(p -> p.indexOf('=') < 0 ? MASK : p.substring(0, p.indexOf('=') + 1) + MASK)
        .collect(Collectors.joining("; "));
  }
}
