package dev.shadowparity.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays two JSON bodies out side by side for the HTML report: keys sorted (key order never counts), one line per
 * value, each line knowing its JSON Pointer. Rows are aligned by pointer, and only the rows at or under a path
 * the comparison reported are marked, so formatting that normalization forgives ({@code 1250.0} vs
 * {@code 1250}) is shown but not flagged.
 */
final class JsonSideBySide {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One printed line and the pointer of the value it shows ({@code #end} suffix for closing brackets). */
  record Line(String path, String text) {}

  /** A row of the table; either side may be null (the value exists on one side only). */
  record Row(Line old, Line neu, boolean marked) {}

  private JsonSideBySide() {}

  /** The rows, or null when either body is not JSON (then the caller shows the bodies as text). */
  static List<Row> rows(String oldBody, String newBody, Set<String> differingPaths) {
    List<Line> o = lines(oldBody);
    List<Line> n = lines(newBody);
    if (o == null || n == null) {
      return null;
    }
    Patch<Line> patch = DiffUtils.diff(o, n, (a, b) -> a.path().equals(b.path()));
    List<Row> rows = new ArrayList<>();
    int oi = 0;
    int ni = 0;
    for (AbstractDelta<Line> d : patch.getDeltas()) {
      while (oi < d.getSource().getPosition()) {
        rows.add(row(o.get(oi++), n.get(ni++), differingPaths));
      }
      List<Line> src = d.getSource().getLines();
      List<Line> tgt = d.getTarget().getLines();
      for (int i = 0; i < Math.max(src.size(), tgt.size()); i++) {
        Line a = i < src.size() ? src.get(i) : null;
        Line b = i < tgt.size() ? tgt.get(i) : null;
        rows.add(new Row(a, b, true)); // present on one side only: always a reported difference (missing/extra)
      }
      oi += src.size();
      ni += tgt.size();
    }
    while (oi < o.size()) {
      rows.add(row(o.get(oi++), n.get(ni++), differingPaths));
    }
    return rows;
  }

  private static Row row(Line a, Line b, Set<String> paths) {
    return new Row(a, b, marked(a.path(), paths));
  }

  static boolean marked(String linePath, Set<String> paths) {
    String p = linePath.endsWith("#end") ? linePath.substring(0, linePath.length() - 4) : linePath;
    for (String d : paths) {
      if (p.equals(d) || p.startsWith(d.isEmpty() ? "/" : d + "/") || d.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static List<Line> lines(String body) {
    if (body == null) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null; // truncated or not JSON: shown as text instead
    }
    if (root == null || root.isMissingNode()) {
      return null;
    }
    List<Line> out = new ArrayList<>();
    print(root, "", "", "", false, out);
    return out;
  }

  private static void print(JsonNode node, String path, String indent, String key, boolean comma, List<Line> out) {
    String end = comma ? "," : "";
    if (node.isObject() && !node.isEmpty()) {
      out.add(new Line(path, indent + key + "{"));
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        sorted.put(f.getKey(), f.getValue());
      }
      int i = 0;
      for (Map.Entry<String, JsonNode> f : sorted.entrySet()) {
        String childKey = JSON.getNodeFactory().textNode(f.getKey()).toString() + ": ";
        print(f.getValue(), path + "/" + f.getKey().replace("~", "~0").replace("/", "~1"), indent + "  ", childKey,
            ++i < sorted.size(), out);
      }
      out.add(new Line(path + "#end", indent + "}" + end));
    } else if (node.isArray() && !node.isEmpty()) {
      out.add(new Line(path, indent + key + "["));
      for (int i = 0; i < node.size(); i++) {
        print(node.get(i), path + "/" + i, indent + "  ", "", i + 1 < node.size(), out);
      }
      out.add(new Line(path + "#end", indent + "]" + end));
    } else {
      out.add(new Line(path, indent + key + node.toString() + end));
    }
  }
}
