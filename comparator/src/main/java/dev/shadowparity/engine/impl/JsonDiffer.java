package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Rules;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Diffs two canonical JSON trees (see {@link CanonicalJson}) field by field. Key order never matters,
 * numbers compare by value (within the tolerance), ignored paths are skipped with their subtrees,
 * unordered arrays compare as multisets, and an array whose elements only moved is one
 * {@code array-order} difference.
 *
 * <p>Equality of array elements uses the same walk in "probe" mode, which stops at the first
 * difference, so that what counts as equal is defined in exactly one place. Not thread-safe: one
 * instance per comparison.
 *
 * <p>Why one file of this length: it is one recursive walk whose path stack, ignore and unordered rules, array
 * alignment and probe mode share state at every step; split, each part would need all of it.
 */
final class JsonDiffer {

  private static final int NUMBER_HASH_WITH_TOLERANCE = 0x5eed;

  private final Rules rules;
  private final DiffSink sink;
  private final int maxAlignedElements;
  private final boolean exactNumbers;
  private final PathStack path = new PathStack();

  /** Steps ({@link #diffNode} calls) of the whole walk, to measure what a probe cost. */
  private long steps;
  /** Steps that matching arrays as multisets may still spend beyond each bucket's first candidate. */
  private long scanBudget = MAX_SCAN_STEPS;
  /** About half a second of probes: arrays of a few thousand numbers shuffled under a tolerance still match exactly. */
  static final long MAX_SCAN_STEPS = 4_000_000;

  /** Depth of nested probes; while above zero nothing is reported, only {@link #probeFailed} set. */
  private int probing;
  private boolean probeFailed;

  JsonDiffer(Rules rules, DiffSink sink, int maxAlignedElements) {
    this.rules = rules;
    this.sink = sink;
    this.maxAlignedElements = maxAlignedElements;
    this.exactNumbers = rules.numericTolerance().signum() == 0;
  }

  void diff(JsonNode oldRoot, JsonNode newRoot) {
    diffNode(oldRoot, newRoot);
  }

  private boolean stop() {
    return probing > 0 ? probeFailed : sink.truncated();
  }

  private void report(DiffKind kind, String oldValue, String newValue) {
    if (probing > 0) {
      probeFailed = true;
      return;
    }
    String field = path.depth() == 0 ? "body" : path.fieldKey();
    sink.add(field, path.pointer(), kind, oldValue, newValue);
  }

  private boolean ignored() {
    return !rules.ignore().isEmpty() && path.matchesAny(rules.ignore());
  }

  private void diffNode(JsonNode a, JsonNode b) {
    steps++;
    if (stop() || ignored()) {
      return;
    }
    JsonNodeType ta = a.getNodeType();
    JsonNodeType tb = b.getNodeType();
    if (ta != tb) {
      report(DiffKind.TYPE, render(a), render(b));
      return;
    }
    switch (ta) {
      case OBJECT:
        diffObject(a, b);
        break;
      case ARRAY:
        diffArray(a, b);
        break;
      case NUMBER:
        if (!numbersEqual(a, b)) {
          report(DiffKind.VALUE, render(a), render(b));
        }
        break;
      case STRING:
        if (!stringsEqual(a.textValue(), b.textValue())) {
          report(DiffKind.VALUE, render(a), render(b));
        }
        break;
      case BOOLEAN:
        if (a.booleanValue() != b.booleanValue()) {
          report(DiffKind.VALUE, render(a), render(b));
        }
        break;
      default:
        // NULL equals NULL; trees from CanonicalJson hold no other node types
        break;
    }
  }

  private void diffObject(JsonNode a, JsonNode b) {
    for (Iterator<Map.Entry<String, JsonNode>> it = a.properties().iterator(); it.hasNext() && !stop(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode bv = b.get(e.getKey());
      path.pushKey(e.getKey());
      if (bv == null) {
        if (!ignored()) {
          report(DiffKind.MISSING, render(e.getValue()), null);
        }
      } else {
        diffNode(e.getValue(), bv);
      }
      path.pop();
    }
    if (b.size() == a.size() && !stop() && allKeysIn(b, a)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = b.properties().iterator(); it.hasNext() && !stop(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!a.has(e.getKey())) {
        path.pushKey(e.getKey());
        if (!ignored()) {
          report(DiffKind.EXTRA, null, render(e.getValue()));
        }
        path.pop();
      }
    }
  }

  private static boolean allKeysIn(JsonNode b, JsonNode a) {
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      if (!a.has(it.next())) {
        return false;
      }
    }
    return true;
  }

  private void diffArray(JsonNode a, JsonNode b) {
    int n = a.size();
    int m = b.size();
    if (!rules.unordered().isEmpty() && path.matchesAny(rules.unordered())) {
      diffUnordered(a, b);
      return;
    }
    if (n == m) {
      // Positions whose elements differ; the rest are equal pairs. The whole array is a permutation
      // exactly when the differing positions hold the same multiset on both sides (equal pairs
      // cancel out), so only those are matched: nothing to hash when one element changed in place.
      int[] unequal = unequalPositions(a, b);
      if (unequal.length == 0) {
        return;
      }
      if (probing > 0) {
        // a probe only asks whether the arrays are equivalent: they are not. Walking into the differing element again
        // would probe its own elements twice at every level, 2^depth steps for arrays nested 40 deep
        probeFailed = true;
        return;
      }
      if (unequal.length > 1 && matchAsMultiset(a, b, unequal, null, null)) {
        report(DiffKind.ARRAY_ORDER, render(a), render(b));
        return;
      }
      for (int k = 0; k < unequal.length && !stop(); k++) {
        path.pushIndex(unequal[k]);
        diffNode(a.get(unequal[k]), b.get(unequal[k]));
        path.pop();
      }
      return;
    }
    report(DiffKind.ARRAY_LENGTH, Integer.toString(n), Integer.toString(m));
    if (stop()) {
      return;
    }
    diffAligned(a, b);
  }

  /** Positions whose elements differ; in a probe only the first (one is enough to fail it). */
  private int[] unequalPositions(JsonNode a, JsonNode b) {
    int[] positions = null;
    int count = 0;
    for (int i = 0, n = a.size(); i < n; i++) {
      if (!equivalentAt(i, a.get(i), b.get(i))) {
        if (probing > 0) {
          return new int[] {i};
        }
        if (positions == null) {
          positions = new int[Math.min(n, 8)];
        } else if (count == positions.length) {
          positions = java.util.Arrays.copyOf(positions, Math.min(n, count * 2));
        }
        positions[count++] = i;
      }
    }
    return positions == null ? new int[0] : java.util.Arrays.copyOf(positions, count);
  }

  /** Aligns two arrays of different length (common prefix and suffix, then Myers on element hashes). */
  private void diffAligned(JsonNode a, JsonNode b) {
    int n = a.size();
    int m = b.size();
    int prefix = 0;
    while (prefix < n && prefix < m && equivalentAt(prefix, a.get(prefix), b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < n - prefix && suffix < m - prefix
        && equivalentAt(n - 1 - suffix, a.get(n - 1 - suffix), b.get(m - 1 - suffix))) {
      suffix++;
    }
    int aEnd = n - suffix;
    int bEnd = m - suffix;
    if (aEnd - prefix > maxAlignedElements || bEnd - prefix > maxAlignedElements) {
      diffRange(a, prefix, aEnd - prefix, b, prefix, bEnd - prefix);
      return;
    }
    List<Integer> ha = new ArrayList<>(aEnd - prefix);
    List<Integer> hb = new ArrayList<>(bEnd - prefix);
    for (int i = prefix; i < aEnd; i++) {
      path.pushIndex(i);
      ha.add(hash(a.get(i)));
      path.pop();
    }
    for (int j = prefix; j < bEnd; j++) {
      path.pushIndex(j);
      hb.add(hash(b.get(j)));
      path.pop();
    }
    for (AbstractDelta<Integer> delta : DiffUtils.diff(ha, hb).getDeltas()) {
      if (stop()) {
        return;
      }
      Chunk<Integer> src = delta.getSource();
      Chunk<Integer> tgt = delta.getTarget();
      diffRange(a, prefix + src.getPosition(), src.size(), b, prefix + tgt.getPosition(), tgt.size());
    }
  }

  /** Pairs up a range of old and new elements index by index; the surplus is missing or extra. */
  private void diffRange(JsonNode a, int aStart, int aLen, JsonNode b, int bStart, int bLen) {
    int common = Math.min(aLen, bLen);
    for (int k = 0; k < common && !stop(); k++) {
      path.pushIndex(aStart + k);
      diffNode(a.get(aStart + k), b.get(bStart + k));
      path.pop();
    }
    for (int k = common; k < aLen && !stop(); k++) {
      path.pushIndex(aStart + k);
      if (!ignored()) {
        report(DiffKind.MISSING, render(a.get(aStart + k)), null);
      }
      path.pop();
    }
    for (int k = common; k < bLen && !stop(); k++) {
      path.pushIndex(bStart + k);
      if (!ignored()) {
        report(DiffKind.EXTRA, null, render(b.get(bStart + k)));
      }
      path.pop();
    }
  }

  private void diffUnordered(JsonNode a, JsonNode b) {
    int n = a.size();
    int m = b.size();
    boolean[] usedA = new boolean[n];
    boolean[] usedB = new boolean[m];
    if (matchAsMultiset(a, b, null, usedA, usedB)) {
      return;
    }
    if (n != m) {
      report(DiffKind.ARRAY_LENGTH, Integer.toString(n), Integer.toString(m));
    }
    for (int i = 0; i < n && !stop(); i++) {
      if (!usedA[i]) {
        path.pushIndex(i);
        if (!ignored()) {
          report(DiffKind.MISSING, render(a.get(i)), null);
        }
        path.pop();
      }
    }
    for (int j = 0; j < m && !stop(); j++) {
      if (!usedB[j]) {
        path.pushIndex(j);
        if (!ignored()) {
          report(DiffKind.EXTRA, null, render(b.get(j)));
        }
        path.pop();
      }
    }
  }

  /**
   * Matches every element of {@code b} with an equivalent, not yet matched element of {@code a}, using
   * hash buckets. Returns whether all elements on both sides were matched; when the arrays are given,
   * marks which were.
   *
   * <p>Bounded: trying an element against the first unmatched candidate of its bucket is always done; trying it against
   * the ones after that spends {@link #scanBudget}, and once that is spent no longer happens. Under a numeric tolerance
   * every number has the same hash, so without the bound n shuffled or changed numbers of an unordered array took n^2
   * probes (16,000 numbers: 20 s). An element whose match lies further in its bucket after the budget is spent counts as
   * unmatched: reported as missing and extra, never hidden.
   */
  private boolean matchAsMultiset(JsonNode a, JsonNode b, int[] positions, boolean[] usedA, boolean[] usedB) {
    int n = positions == null ? a.size() : positions.length;
    int m = positions == null ? b.size() : positions.length;
    boolean[] matchedA = usedA != null ? usedA : new boolean[a.size()];
    Map<Integer, Bucket> buckets = new HashMap<>(n * 2);
    for (int k = 0; k < n; k++) {
      int i = positions == null ? k : positions[k];
      path.pushIndex(i);
      buckets.computeIfAbsent(hash(a.get(i)), key -> new Bucket()).add(i);
      path.pop();
    }
    boolean all = n == m;
    for (int k = 0; k < m; k++) {
      int j = positions == null ? k : positions[k];
      path.pushIndex(j);
      Bucket bucket = buckets.get(hash(b.get(j)));
      path.pop();
      boolean found = bucket != null && matchIn(bucket, a, b.get(j), matchedA);
      if (usedB != null) {
        usedB[j] = found;
      }
      if (!found) {
        all = false;
        if (usedB == null) {
          return false;
        }
      }
    }
    return all;
  }

  /** Indices of {@code a} with one hash, in order; those before {@code start} are all matched. */
  private static final class Bucket {
    private int[] items = new int[1];
    private int size;
    private int start;

    void add(int i) {
      if (size == items.length) {
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      items[size++] = i;
    }
  }

  /** Matches {@code y} with an equivalent unmatched element of the bucket, if one is found within the budget. */
  private boolean matchIn(Bucket bucket, JsonNode a, JsonNode y, boolean[] matchedA) {
    while (bucket.start < bucket.size && matchedA[bucket.items[bucket.start]]) {
      bucket.start++;
    }
    for (int c = bucket.start; c < bucket.size; c++) {
      int i = bucket.items[c];
      if (matchedA[i]) {
        scanBudget--;
        continue;
      }
      boolean first = c == bucket.start;
      if (!first && scanBudget <= 0) {
        return false;
      }
      long before = steps;
      boolean eq = equivalentAt(i, a.get(i), y);
      if (!first) {
        scanBudget -= 1 + steps - before;
      }
      if (eq) {
        matchedA[i] = true;
        return true;
      }
    }
    return false;
  }

  private boolean equivalentAt(int index, JsonNode x, JsonNode y) {
    path.pushIndex(index);
    boolean eq = equivalent(x, y);
    path.pop();
    return eq;
  }

  /** Whether two nodes at the current path have no difference under the rules. */
  private boolean equivalent(JsonNode x, JsonNode y) {
    if (x == y) {
      return true;
    }
    boolean outerFailed = probeFailed;
    probing++;
    probeFailed = false;
    diffNode(x, y);
    boolean eq = !probeFailed;
    probing--;
    probeFailed = outerFailed;
    return eq;
  }

  /** A hash consistent with {@link #equivalent}: ignored paths skipped, numbers by value, unordered arrays as sets. */
  private int hash(JsonNode node) {
    if (ignored()) {
      return 0;
    }
    switch (node.getNodeType()) {
      case OBJECT: {
        int h = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          path.pushKey(e.getKey());
          h += e.getKey().hashCode() * 31 ^ hash(e.getValue());
          path.pop();
        }
        return h;
      }
      case ARRAY: {
        boolean unordered = !rules.unordered().isEmpty() && path.matchesAny(rules.unordered());
        int h = 2;
        for (int i = 0; i < node.size(); i++) {
          path.pushIndex(i);
          int eh = hash(node.get(i));
          path.pop();
          h = unordered ? h + eh : h * 31 + eh;
        }
        return h;
      }
      case NUMBER:
        return exactNumbers ? numberHash(node) : NUMBER_HASH_WITH_TOLERANCE;
      case STRING:
        return CanonicalJson.nfc(node.textValue()).hashCode();
      case BOOLEAN:
        return node.booleanValue() ? 3 : 4;
      default:
        return 5;
    }
  }

  /** Equal after Unicode NFC ({@code é} and {@code e\u0301} are equal); NFC is only computed when the texts differ. */
  static boolean stringsEqual(String x, String y) {
    return x.equals(y) || CanonicalJson.nfc(x).equals(CanonicalJson.nfc(y));
  }

  private static int numberHash(JsonNode n) {
    if (n instanceof HugeNumberNode) {
      return n.hashCode();
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return Long.hashCode(n.longValue());
    }
    if (n.isDouble()) {
      return Double.hashCode(n.doubleValue());
    }
    BigDecimal d = n.decimalValue().stripTrailingZeros();
    if (d.scale() <= 0 && d.compareTo(LONG_MIN) >= 0 && d.compareTo(LONG_MAX) <= 0) {
      return Long.hashCode(d.longValue());
    }
    return d.hashCode();
  }

  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private boolean numbersEqual(JsonNode a, JsonNode b) {
    if (a instanceof HugeNumberNode || b instanceof HugeNumberNode) {
      if (a.equals(b)) {
        return true; // by canonical text
      }
      // with a tolerance, a number below 1e-10000 is 0 to it; one past 1e10000 equals nothing a BigDecimal holds
      BigDecimal x = exactNumbers ? null : toleranceValue(a);
      BigDecimal y = exactNumbers ? null : toleranceValue(b);
      return x != null && y != null && withinTolerance(x, y);
    }
    if (a.isDouble() || b.isDouble()) {
      // NaN and Infinity (Python writes them); only equal to themselves
      if (Double.isFinite(a.doubleValue()) && Double.isFinite(b.doubleValue())) {
        return withinTolerance(a.decimalValue(), b.decimalValue());
      }
      return Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    if (exactNumbers && a.isLong() && b.isLong()) {
      return a.longValue() == b.longValue();
    }
    if (exactNumbers && a.isBigInteger() && b.isBigInteger()) {
      BigInteger x = a.bigIntegerValue();
      return x.equals(b.bigIntegerValue());
    }
    return withinTolerance(a.decimalValue(), b.decimalValue());
  }

  /** A number as the tolerance sees it: a tiny huge number as 0; null for a huge one, NaN or an infinity. */
  private static BigDecimal toleranceValue(JsonNode n) {
    if (n instanceof HugeNumberNode h) {
      return h.doubleValue() == 0 ? BigDecimal.ZERO : null;
    }
    if (n.isDouble() && !Double.isFinite(n.doubleValue())) {
      return null;
    }
    return n.decimalValue();
  }

  private boolean withinTolerance(BigDecimal x, BigDecimal y) {
    if (exactNumbers) {
      return x.compareTo(y) == 0;
    }
    return x.subtract(y).abs().compareTo(rules.numericTolerance()) <= 0;
  }

  /** The value as JSON text: scalars written directly, containers through Jackson. */
  private String render(JsonNode node) {
    if (probing > 0) {
      return null;
    }
    switch (node.getNodeType()) {
      case STRING:
        return quote(node.textValue());
      case NUMBER:
        return node.isDouble() ? jsonDouble(node.doubleValue()) : node.asText();
      case BOOLEAN:
        return node.booleanValue() ? "true" : "false";
      case NULL:
        return "null";
      default:
        return node.toString();
    }
  }

  private static String jsonDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return Double.toString(d);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
