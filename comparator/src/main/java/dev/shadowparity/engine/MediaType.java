package dev.shadowparity.engine;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed Content-Type: type and subtype in lower case, parameters with lower-case names (sorted),
 * the charset value in lower case. No header gives {@link #UNKNOWN}; a value that does not parse is
 * unknown too, but keeps its text for comparison.
 */
public final class MediaType {

  private final String type;
  private final String subtype;
  private final Map<String, String> parameters;
  private final String raw;

  public static final MediaType UNKNOWN = new MediaType("", "", Map.of(), "");

  /**
   * @param raw the header value as received, kept so that two unparseable values still compare by text
   */
  public MediaType(String type, String subtype, Map<String, String> parameters, String raw) {
    this.type = type;
    this.subtype = subtype;
    this.parameters = Map.copyOf(parameters);
    this.raw = raw;
  }

  public static MediaType parse(String header) {
    if (header == null) {
      return UNKNOWN;
    }
    // -1: a value of only semicolons splits into empty parts, never into none
    String[] parts = header.indexOf(';') < 0 ? new String[] {header} : header.split(";", -1);
    String essence = parts[0].trim().toLowerCase(Locale.ROOT);
    int slash = essence.indexOf('/');
    if (slash <= 0 || slash == essence.length() - 1) {
      return new MediaType("", "", Map.of(), header.trim().toLowerCase(Locale.ROOT));
    }
    Map<String, String> params = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (name.equals("charset")) {
        value = value.toLowerCase(Locale.ROOT);
      }
      params.put(name, value);
    }
    return new MediaType(essence.substring(0, slash), essence.substring(slash + 1), params, header);
  }

  public String type() {
    return type;
  }

  public String subtype() {
    return subtype;
  }

  /** Parameters with lower-case names, sorted by name. */
  public Map<String, String> parameters() {
    return parameters;
  }

  public boolean isKnown() {
    return !type.isEmpty();
  }

  /** The charset parameter, or {@code null}. */
  public String charset() {
    return parameters.get("charset");
  }

  public boolean isJson() {
    return (type.equals("application") || type.equals("text"))
        && (subtype.equals("json") || subtype.endsWith("+json") || subtype.equals("x-json") || subtype.equals("javascript-json"));
  }

  /** The body kind this type declares; {@code null} when the type says nothing useful. */
  public BodyKind declaredKind() {
    if (!isKnown()) {
      return null;
    }
    if (isJson()) {
      return BodyKind.JSON;
    }
    if (type.equals("application") && subtype.equals("x-www-form-urlencoded")) {
      return BodyKind.FORM;
    }
    if (subtype.equals("html") || subtype.equals("xhtml+xml")) {
      return BodyKind.HTML;
    }
    if (type.equals("text") || subtype.equals("xml") || subtype.endsWith("+xml") || subtype.equals("javascript")
        || subtype.equals("ecmascript") || subtype.equals("csv") || subtype.equals("yaml") || subtype.equals("x-yaml")) {
      return BodyKind.TEXT;
    }
    if (type.equals("image") || type.equals("audio") || type.equals("video") || type.equals("font")
        || subtype.equals("octet-stream") || subtype.equals("pdf") || subtype.equals("zip") || subtype.equals("gzip")
        || subtype.equals("protobuf") || subtype.equals("x-protobuf") || subtype.equals("msgpack")) {
      return BodyKind.BINARY;
    }
    return null;
  }

  /**
   * The form in which two Content-Types are compared: {@code type/subtype} and the sorted parameters;
   * for JSON a {@code charset=utf-8} (JSON's only charset) is dropped. A value that does not parse is
   * compared as its trimmed, lower-cased text.
   */
  public String canonical() {
    if (!isKnown()) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(type).append('/').append(subtype);
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      if (p.getKey().equals("charset") && isJson() && isUtf8(p.getValue())) {
        continue;
      }
      sb.append("; ").append(p.getKey()).append('=').append(p.getValue());
    }
    return sb.toString();
  }

  static boolean isUtf8(String charset) {
    return charset.equals("utf-8") || charset.equals("utf8");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaType m && m.canonical().equals(canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public String toString() {
    return canonical();
  }
}
