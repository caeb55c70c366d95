package dev.shadowparity.engine.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values that change on every call: timestamps, UUIDs, long hex ids. Two texts fit when they are equal except
 * for such tokens, and each differing pair is of one shape and one format (the same characters once digits and
 * letters are masked), not equal ignoring case, and not two midnights (a date, not a clock). Numbers fit as
 * epoch seconds or milliseconds only with a time-like name ({@code created_at}, {@code ts}, {@code X-Timestamp}).
 */
final class VolatileValues {

  private static final String B = "(?<![0-9A-Za-z])";
  private static final String E = "(?![0-9A-Za-z])";
  private static final Pattern TOKEN = Pattern.compile(B + "(?:"
      + "(?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
      + "|(?<iso>\\d{4}-\\d{2}-\\d{2}[T ](?<isotime>\\d{2}:\\d{2}:\\d{2})(?:[.,](?<isofrac>\\d{1,9}))?"
      + "(?:Z|[+-]\\d{2}(?::?\\d{2})?)?)"
      + "|(?<http>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2}[ -](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ -]\\d{4} "
      + "(?<httptime>\\d{2}:\\d{2}:\\d{2}) (?:GMT|UTC|[+-]\\d{4}))"
      + "|(?<hex>(?:0x)?(?:[0-9a-f]{16,}|[0-9A-F]{16,}))"
      + ")" + E);
  private static final Pattern EPOCH = Pattern.compile("(\\d{10})(?:\\.\\d{1,9})?|(\\d{13})");
  /** 2000-01-01 and 2100-01-01 in epoch seconds. */
  private static final long EPOCH_LOW = 946_684_800L;
  private static final long EPOCH_HIGH = 4_102_444_800L;
  private static final Set<String> TIME_WORDS = Set.of("time", "timestamp", "ts", "date", "datetime", "at",
      "expires", "expiry", "exp", "iat", "nbf", "created", "updated", "modified", "epoch", "issued", "stamp", "now");
  private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

  private VolatileValues() {}

  private record Token(String shape, String text, int start, int end, String time) {}

  /** Two texts equal but for volatile tokens, or two epoch values under a time-like name. */
  static boolean texts(String oldText, String newText, String name) {
    return epochs(oldText, newText, name) || tokens(oldText, newText);
  }

  /**
   * Both values epoch seconds (10 digits, optional fraction) or both milliseconds (13 digits) between 2000 and
   * 2100, under a name with a time-like word.
   */
  static boolean epochs(String oldValue, String newValue, String name) {
    if (name == null || !timeLikeName(name) || oldValue.equals(newValue)) {
      return false;
    }
    Matcher a = EPOCH.matcher(oldValue);
    Matcher b = EPOCH.matcher(newValue);
    if (!a.matches() || !b.matches() || (a.group(1) == null) != (b.group(1) == null)) {
      return false;
    }
    return plausibleEpoch(a) && plausibleEpoch(b);
  }

  private static boolean plausibleEpoch(Matcher m) {
    long seconds = m.group(1) != null ? Long.parseLong(m.group(1)) : Long.parseLong(m.group(2)) / 1000;
    return seconds >= EPOCH_LOW && seconds < EPOCH_HIGH;
  }

  /** Whether a JSON key or header name holds a time-like word: {@code created_at}, {@code expiresAt}, {@code X-Timestamp}. */
  static boolean timeLikeName(String name) {
    for (String word : WORD_BREAK.split(name)) {
      if (TIME_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  static boolean tokens(String oldText, String newText) {
    List<Token> a = scan(oldText);
    List<Token> b = scan(newText);
    if (a.isEmpty() || a.size() != b.size()) {
      return false;
    }
    int pa = 0;
    int pb = 0;
    boolean any = false;
    for (int i = 0; i < a.size(); i++) {
      Token x = a.get(i);
      Token y = b.get(i);
      if (!oldText.substring(pa, x.start()).equals(newText.substring(pb, y.start())) || !x.shape().equals(y.shape())) {
        return false;
      }
      if (!x.text().equals(y.text())) {
        if (!template(x).equals(template(y)) || x.text().equalsIgnoreCase(y.text())
            || (midnight(x) && midnight(y))) {
          return false;
        }
        any = true;
      }
      pa = x.end();
      pb = y.end();
    }
    return any && oldText.substring(pa).equals(newText.substring(pb));
  }

  private static List<Token> scan(String text) {
    List<Token> tokens = new ArrayList<>(2);
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      String shape;
      String time = null;
      if (m.group("uuid") != null) {
        shape = "uuid";
      } else if (m.group("iso") != null) {
        shape = "iso";
        time = m.group("isotime") + (m.group("isofrac") == null ? "" : "." + m.group("isofrac"));
      } else if (m.group("http") != null) {
        shape = "http";
        time = m.group("httptime");
      } else if (hasDigitAndLetter(m.group("hex"))) {
        shape = "hex";
      } else {
        continue; // all digits (a number) or all letters (a word): not an id
      }
      tokens.add(new Token(shape, m.group(), m.start(), m.end(), time));
    }
    return tokens;
  }

  private static boolean hasDigitAndLetter(String hex) {
    String s = hex.startsWith("0x") ? hex.substring(2) : hex;
    boolean digit = false;
    boolean letter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      digit |= c >= '0' && c <= '9';
      letter |= !(c >= '0' && c <= '9');
    }
    return digit && letter;
  }

  private static boolean midnight(Token t) {
    return t.time() != null && t.time().replace(":", "").replace(".", "").chars().allMatch(c -> c == '0');
  }

  /**
   * What two values of one format share: for ids their length and letter case (a hex digit may be a digit or a
   * letter anywhere); for timestamps every character but the digits (and, for HTTP dates, the day and month
   * names), so {@code 11:14:47Z} and {@code 11:14:47+00:00} are two formats.
   */
  private static String template(Token t) {
    String s = t.text();
    if (t.shape().equals("uuid") || t.shape().equals("hex")) {
      boolean lower = !s.equals(s.toUpperCase(Locale.ROOT));
      boolean upper = !s.equals(s.toLowerCase(Locale.ROOT));
      return s.length() + (lower ? "l" : "") + (upper ? "U" : "") + (s.startsWith("0x") ? "x" : "");
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c >= '0' && c <= '9' ? '9' : t.shape().equals("http") && Character.isLetter(c) ? 'a' : c);
    }
    return b.toString();
  }
}
