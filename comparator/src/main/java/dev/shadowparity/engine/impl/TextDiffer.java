package dev.shadowparity.engine.impl;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import dev.shadowparity.engine.DiffKind;
import java.util.ArrayList;
import java.util.List;

/** Line diff of text bodies with java-diff-utils: line endings normalized, white space optionally folded. */
final class TextDiffer {

  private TextDiffer() {}

  static void diff(String oldText, String newText, boolean foldWhitespace, int contextLines, int maxDiffLines, DiffSink sink) {
    List<String> a = lines(oldText, foldWhitespace);
    List<String> b = lines(newText, foldWhitespace);
    if (a.equals(b)) {
      return;
    }
    Patch<String> patch = DiffUtils.diff(a, b);
    if (patch.getDeltas().isEmpty()) {
      return;
    }
    AbstractDelta<String> first = patch.getDeltas().get(0);
    List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("old", "new", a, patch, contextLines);
    StringBuilder detail = new StringBuilder();
    int shown = Math.min(unified.size(), maxDiffLines);
    for (int i = 0; i < shown; i++) {
      detail.append(unified.get(i)).append('\n');
    }
    if (unified.size() > shown) {
      detail.append("... ").append(unified.size() - shown).append(" more diff lines\n");
    }
    int line = first.getSource().getPosition() + 1;
    sink.add("body", "line " + line, DiffKind.VALUE, joinLines(first.getSource().getLines()),
        joinLines(first.getTarget().getLines()), detail.toString());
  }

  private static String joinLines(List<String> lines) {
    return lines.isEmpty() ? null : String.join("\n", lines);
  }

  /** Splits on LF, CRLF or CR; a final line break does not make an extra empty line. */
  static List<String> lines(String text, boolean foldWhitespace) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(line(text, start, i, foldWhitespace));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      lines.add(line(text, start, n, foldWhitespace));
    }
    return lines;
  }

  private static String line(String text, int from, int to, boolean fold) {
    String s = text.substring(from, to);
    return fold ? Whitespace.collapse(s) : s;
  }
}
