package dev.shadowparity.engine.impl;

import dev.shadowparity.engine.PointerPattern;
import java.util.Arrays;
import java.util.List;

/** The JSON path being visited, kept as a stack so that strings are only built when a difference is found. */
final class PathStack {

  private String[] keys = new String[16];
  private int[] indices = new int[16];
  private int depth;

  void pushKey(String key) {
    grow();
    keys[depth] = key;
    indices[depth] = -1;
    depth++;
  }

  void pushIndex(int index) {
    grow();
    keys[depth] = null;
    indices[depth] = index;
    depth++;
  }

  void pop() {
    depth--;
  }

  int depth() {
    return depth;
  }

  private void grow() {
    if (depth == keys.length) {
      keys = Arrays.copyOf(keys, depth * 2);
      indices = Arrays.copyOf(indices, depth * 2);
    }
  }

  boolean matchesAny(List<PointerPattern> patterns) {
    for (int p = 0, n = patterns.size(); p < n; p++) {
      if (matches(patterns.get(p))) {
        return true;
      }
    }
    return false;
  }

  boolean matches(PointerPattern pattern) {
    if (pattern.depth() != depth) {
      return false;
    }
    for (int i = 0; i < depth; i++) {
      boolean ok = keys[i] != null ? pattern.matchesKey(i, keys[i]) : pattern.matchesIndex(i, indices[i]);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The JSON Pointer of the current position, e.g. {@code /items/3/price}. */
  String pointer() {
    return build(false);
  }

  /** The counting key: the pointer with array indices as {@code *}, e.g. {@code /items/*&#47;price}. */
  String fieldKey() {
    return build(true);
  }

  private String build(boolean wildcardIndices) {
    StringBuilder sb = new StringBuilder(depth * 8);
    for (int i = 0; i < depth; i++) {
      sb.append('/');
      if (keys[i] == null) {
        if (wildcardIndices) {
          sb.append('*');
        } else {
          sb.append(indices[i]);
        }
      } else {
        appendEscaped(sb, keys[i]);
      }
    }
    return sb.toString();
  }

  private static void appendEscaped(StringBuilder sb, String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '~') {
        sb.append("~0");
      } else if (c == '/') {
        sb.append("~1");
      } else {
        sb.append(c);
      }
    }
  }
}
