package dev.shadowparity.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Pointer (RFC 6901) in which a segment {@code *} stands for any object key or array index:
 * {@code /items/*&#47;price}. The empty pointer {@code ""} is the whole document.
 */
public final class PointerPattern {

  private static final String ANY = "*";

  private final String text;
  private final String[] segments;
  /** Each segment parsed as an array index, or -1 when it is not one. */
  private final int[] indices;

  private PointerPattern(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
    this.indices = new int[segments.length];
    for (int i = 0; i < segments.length; i++) {
      indices[i] = parseIndex(segments[i]);
    }
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong, when the text is not a JSON Pointer
   */
  public static PointerPattern parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a JSON Pointer is required, got null");
    }
    if (text.isEmpty()) {
      return new PointerPattern(text, new String[0]);
    }
    if (text.charAt(0) != '/') {
      throw new IllegalArgumentException("'" + text + "' is not a JSON Pointer: it must start with '/' (e.g. /meta/generated_at)");
    }
    List<String> segs = new ArrayList<>();
    int start = 1;
    while (true) {
      int slash = text.indexOf('/', start);
      String raw = slash < 0 ? text.substring(start) : text.substring(start, slash);
      segs.add(unescape(raw, text));
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return new PointerPattern(text, segs.toArray(new String[0]));
  }

  private static String unescape(String raw, String whole) {
    if (raw.indexOf('~') < 0) {
      return raw;
    }
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '~') {
        sb.append(c);
        continue;
      }
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
      if (next == '0') {
        sb.append('~');
      } else if (next == '1') {
        sb.append('/');
      } else {
        throw new IllegalArgumentException("'" + whole + "' is not a JSON Pointer: '~' must be followed by 0 or 1");
      }
      i++;
    }
    return sb.toString();
  }

  private static int parseIndex(String s) {
    if (s.isEmpty() || s.length() > 9 || (s.length() > 1 && s.charAt(0) == '0')) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Number of segments; 0 for the whole document. */
  public int depth() {
    return segments.length;
  }

  /** Whether segment {@code i} matches an object key. */
  public boolean matchesKey(int i, String key) {
    String s = segments[i];
    return s.equals(ANY) || s.equals(key);
  }

  /** Whether segment {@code i} matches an array index. */
  public boolean matchesIndex(int i, int index) {
    return indices[i] == index || segments[i].equals(ANY);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PointerPattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
