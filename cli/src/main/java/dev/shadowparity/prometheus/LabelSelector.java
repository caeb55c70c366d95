package dev.shadowparity.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * The label matchers that pick the taps' series ({@code --selector '{job="parity-tap", namespace="shop"}'}), checked
 * here so that a typo is told as such rather than as Prometheus' parse error of a query the user never wrote. The
 * matchers are added to each counter's own selector ({@code parity_exchanges_total{job="parity-tap"}[...]}).
 *
 * @param matchers the matchers as written (label name, operator, quoted value), in order; empty for every series
 */
public record LabelSelector(List<String> matchers) {

  /** No matcher: every series of the counters. */
  public static final LabelSelector ALL = new LabelSelector(List.of());
  /** Labels the gate sets itself on some counters; a selector may not match on them (or on the metric name). */
  private static final List<String> RESERVED = List.of("__name__", "endpoint", "outcome", "backend", "reason", "kind");

  public LabelSelector {
    matchers = List.copyOf(matchers);
  }

  /**
   * Parses {@code {name="value", name=~"regex", ...}}: operators {@code =}, {@code !=}, {@code =~}, {@code !~};
   * values in double quotes, single quotes or backticks, with PromQL's escapes.
   *
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return ALL;
    }
    String s = text.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new IllegalArgumentException("--selector: a selector is label matchers in braces, e.g. "
          + "{job=\"parity-tap\"}; got " + text);
    }
    List<String> out = new ArrayList<>();
    int i = skipSpace(s, 1);
    while (i < s.length() - 1) {
      int nameStart = i;
      if (!isNameStart(s.charAt(i))) {
        throw bad(s, i, "expected a label name");
      }
      while (i < s.length() && isNamePart(s.charAt(i))) {
        i++;
      }
      String name = s.substring(nameStart, i);
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("--selector: the label " + name + " is not for the selector: the gate picks "
            + "the counters and their series itself; select the taps (job, namespace, pod, ...)");
      }
      i = skipSpace(s, i);
      String op;
      if (s.startsWith("=~", i) || s.startsWith("!=", i) || s.startsWith("!~", i)) {
        op = s.substring(i, i + 2);
      } else if (s.startsWith("=", i)) {
        op = "=";
      } else {
        throw bad(s, i, "expected =, !=, =~ or !~ after " + name);
      }
      i = skipSpace(s, i + op.length());
      int valueStart = i;
      i = endOfString(s, i);
      out.add(name + op + s.substring(valueStart, i));
      i = skipSpace(s, i);
      if (s.charAt(i) == ',') {
        i = skipSpace(s, i + 1);
      } else if (i != s.length() - 1) {
        throw bad(s, i, "expected , or }");
      }
    }
    return new LabelSelector(out);
  }

  /** The matchers with more appended, as a PromQL selector body ({@code {job="x",backend="new"}}); empty for none. */
  public String with(String... more) {
    List<String> all = new ArrayList<>(matchers);
    all.addAll(List.of(more));
    return all.isEmpty() ? "" : "{" + String.join(",", all) + "}";
  }

  @Override
  public String toString() {
    return "{" + String.join(", ", matchers) + "}";
  }

  private static int endOfString(String s, int i) {
    if (i >= s.length() - 1 || "\"'`".indexOf(s.charAt(i)) < 0) {
      throw bad(s, i, "expected a quoted value");
    }
    char quote = s.charAt(i);
    for (int j = i + 1; j < s.length() - 1; j++) {
      char c = s.charAt(j);
      if (c == '\\' && quote != '`') {
        j++;
      } else if (c == '\n' && quote != '`') {
        throw bad(s, j, "a line break inside a quoted value");
      } else if (c == quote) {
        return j + 1;
      }
    }
    throw bad(s, i, "the quoted value is not closed");
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private static IllegalArgumentException bad(String text, int at, String what) {
    return new IllegalArgumentException("--selector: not a label selector at character " + (at + 1) + " of " + text + ": "
        + what);
  }
}
