package dev.shadowparity.engine.impl;

/** White-space folding shared by header and text normalization. */
final class Whitespace {

  private Whitespace() {}

  /** Trimmed, with every run of white space as one space; no copy when there is nothing to change. */
  static String collapse(String s) {
    String t = s.trim();
    int n = t.length();
    for (int i = 0; i < n; i++) {
      char c = t.charAt(i);
      if (c <= ' ' && (c != ' ' || (i + 1 < n && t.charAt(i + 1) <= ' '))) {
        StringBuilder sb = new StringBuilder(n);
        boolean space = false;
        for (int j = 0; j < n; j++) {
          char d = t.charAt(j);
          if (d <= ' ') {
            space = true;
          } else {
            if (space) {
              sb.append(' ');
              space = false;
            }
            sb.append(d);
          }
        }
        return sb.toString();
      }
    }
    return t;
  }
}
