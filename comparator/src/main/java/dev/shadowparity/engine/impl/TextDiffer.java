package dev.shadowparity.engine.impl;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.DeleteDelta;
import com.github.difflib.patch.EqualDelta;
import com.github.difflib.patch.InsertDelta;
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
    // what is shown has lines cut at MAX_SHOWN_LINE characters: a body of one 8 MiB line must not be copied again and
    // again into the diff, its detail and the values (the comparison above used the whole lines)
    List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("old", "new", cut(a), shown(patch), contextLines);
    StringBuilder detail = new StringBuilder();
    int shown = Math.min(unified.size(), maxDiffLines);
    for (int i = 0; i < shown; i++) {
      detail.append(unified.get(i)).append('\n');
    }
    if (unified.size() > shown) {
      detail.append("... ").append(unified.size() - shown).append(" more diff lines\n");
    }
    int line = first.getSource().getPosition() + 1;
    sink.add("body", "line " + line, DiffKind.VALUE, joinLines(cut(first.getSource().getLines())),
        joinLines(cut(first.getTarget().getLines())), detail.toString());
  }

  /** Longest line a diff shows; past it, a line shows its start and its length. */
  static final int MAX_SHOWN_LINE = 2000;

  /** The lines as shown: each cut at {@link #MAX_SHOWN_LINE}; the same list when none is that long. */
  static List<String> cut(List<String> lines) {
    boolean anyLong = false;
    for (String l : lines) {
      anyLong |= l.length() > MAX_SHOWN_LINE;
    }
    if (!anyLong) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines.size());
    for (String l : lines) {
      out.add(l.length() <= MAX_SHOWN_LINE ? l
          : l.substring(0, MAX_SHOWN_LINE) + "... (" + l.length() + " characters in all)");
    }
    return out;
  }

  /** The patch with its lines as shown. */
  private static Patch<String> shown(Patch<String> patch) {
    Patch<String> shown = new Patch<>(patch.getDeltas().size());
    for (AbstractDelta<String> d : patch.getDeltas()) {
      Chunk<String> source = new Chunk<>(d.getSource().getPosition(), cut(d.getSource().getLines()));
      Chunk<String> target = new Chunk<>(d.getTarget().getPosition(), cut(d.getTarget().getLines()));
      shown.addDelta(switch (d.getType()) {
        case CHANGE -> new ChangeDelta<>(source, target);
        case DELETE -> new DeleteDelta<>(source, target);
        case INSERT -> new InsertDelta<>(source, target);
        case EQUAL -> new EqualDelta<>(source, target);
      });
    }
    return shown;
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
