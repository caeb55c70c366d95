package dev.shadowparity.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Payment card numbers in free text, found by shape and the Luhn check, masked. */
final class CardNumbers {

  private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9])[0-9](?:[ -]?+[0-9])++(?![0-9])");

  private CardNumbers() {}

  /**
   * Card-number-like digits masked: in each run of digit groups (separated by single spaces or
   * dashes), the longest run of whole groups from each group on that holds 13 to 19 digits, starts with 2 to 6 and
   * passes the Luhn check, so that a card next to a CVV, a quantity or a date is still found.
   */
  static String mask(String s) {
    if (s == null || s.length() < 13) {
      return s;
    }
    Matcher m = DIGIT_RUN.matcher(s);
    StringBuilder out = null;
    int copied = 0;
    while (m.find()) {
      if (m.end() - m.start() < 13) {
        continue;
      }
      List<int[]> groups = new ArrayList<>();
      int g = m.start();
      for (int k = m.start(); k <= m.end(); k++) {
        if (k == m.end() || s.charAt(k) == ' ' || s.charAt(k) == '-') {
          groups.add(new int[] {g, k});
          g = k + 1;
        }
      }
      int i = 0;
      while (i < groups.size()) {
        int found = -1;
        char first = s.charAt(groups.get(i)[0]);
        if (first >= '2' && first <= '6') {
          for (int j = groups.size() - 1; j >= i && found < 0; j--) {
            int digits = 0;
            for (int k = i; k <= j; k++) {
              digits += groups.get(k)[1] - groups.get(k)[0];
            }
            if (digits >= 13 && digits <= 19 && luhn(s.substring(groups.get(i)[0], groups.get(j)[1]))) {
              found = j;
            }
          }
        }
        if (found < 0) {
          i++;
          continue;
        }
        if (out == null) {
          out = new StringBuilder(s.length());
        }
        out.append(s, copied, groups.get(i)[0]).append(Redaction.MASK);
        copied = groups.get(found)[1];
        i = found + 1;
      }
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** Whether 13 to 19 digits (separators skipped) pass the Luhn check. */
  static boolean luhn(String candidate) {
    int sum = 0;
    int count = 0;
    boolean twice = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
      count++;
    }
    return count >= 13 && count <= 19 && sum % 10 == 0;
  }
}
