package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.engine.impl.CanonicalJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties over seeded random JSON documents: a response always equals itself and every
 * re-serialization of itself (other key order, escapes, number spellings); normalizing twice changes
 * nothing; swapping OLD and NEW finds the same fields with missing and extra swapped.
 */
class ComparisonPropertiesTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();
  private static final String[] WORDS = {"id", "name", "café", "cafe\u0301", "price", "items", "Ünïcödé", "a/b", "t~1", "日本", "x"};

  static Stream<Long> seeds() {
    return LongStream.range(0, 300).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void responseComparedWithItselfAlwaysMatches(long seed) {
    Random r = new Random(seed);
    JsonNode doc = randomValue(r, 0);
    String text = doc.toString();
    assertThat(COMPARATOR.compare(json(text), json(text), Rules.defaults()).differences()).isEmpty();
    String respelled = respell(doc, new Random(seed + 1));
    assertThat(COMPARATOR.compare(json(text), json(respelled), Rules.defaults()).differences())
        .as("%s vs %s", text, respelled).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void normalizingTwiceChangesNothing(long seed) throws Exception {
    String text = respell(randomValue(new Random(seed), 0), new Random(seed + 7));
    JsonNode once = CanonicalJson.read(text.getBytes(StandardCharsets.UTF_8));
    JsonNode twice = CanonicalJson.read(once.toString());
    assertThat(twice).isEqualTo(once);
    assertThat(twice.toString()).isEqualTo(once.toString());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void swappingOldAndNewFindsTheSameFields(long seed) {
    Random r = new Random(seed);
    JsonNode a = randomValue(r, 0);
    JsonNode b = mutate(a.deepCopy(), r);
    Comparison forward = COMPARATOR.compare(json(a.toString()), json(b.toString()), Rules.defaults());
    Comparison backward = COMPARATOR.compare(json(b.toString()), json(a.toString()), Rules.defaults());
    assertThat(backward.fields()).containsExactlyInAnyOrderElementsOf(forward.fields());
    boolean realigned = forward.differences().stream().anyMatch(d -> d.kind() == DiffKind.ARRAY_LENGTH);
    if (!realigned) {
      // Where arrays changed length, Myers alignment may pair elements differently in each direction
      // (a changed element vs a removed plus an added one); elsewhere kinds mirror exactly.
      assertThat(kindsSwapped(backward)).containsExactlyInAnyOrderElementsOf(kinds(forward));
    }
  }

  private static List<String> kinds(Comparison c) {
    return c.differences().stream().map(d -> d.field() + " " + d.kind()).toList();
  }

  private static List<String> kindsSwapped(Comparison c) {
    return c.differences().stream().map(d -> d.field() + " " + switch (d.kind()) {
      case MISSING -> DiffKind.EXTRA;
      case EXTRA -> DiffKind.MISSING;
      default -> d.kind();
    }).toList();
  }

  static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode randomValue(Random r, int depth) {
    int pick = r.nextInt(depth > 3 ? 6 : 8);
    switch (pick) {
      case 0:
        return CanonicalJson.read0("" + (r.nextInt(2000) - 1000));
      case 1:
        return CanonicalJson.read0(new BigDecimal(r.nextInt(100000)).movePointLeft(r.nextInt(4)).toPlainString());
      case 2:
      case 3:
        return CanonicalJson.read0(quote(WORDS[r.nextInt(WORDS.length)] + r.nextInt(3)));
      case 4:
        return CanonicalJson.read0(r.nextBoolean() ? "true" : "null");
      case 5:
        return CanonicalJson.read0("123456789012345678901234" + r.nextInt(10));
      case 6: {
        ObjectNode o = CanonicalJson.read0("{}").deepCopy();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          o.set(WORDS[r.nextInt(WORDS.length)] + i, randomValue(r, depth + 1));
        }
        return o;
      }
      default: {
        ArrayNode a = CanonicalJson.read0("[]").deepCopy();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          a.add(randomValue(r, depth + 1));
        }
        return a;
      }
    }
  }

  private static String quote(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
  }

  /** Serializes with shuffled keys, \\u escapes for non-ASCII, NFD strings and respelled numbers. */
  private static String respell(JsonNode n, Random r) {
    if (n.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      fields.addAll(n.properties());
      Collections.shuffle(fields, r);
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < fields.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(respellString(fields.get(i).getKey(), r)).append(": ")
            .append(respell(fields.get(i).getValue(), r));
      }
      return sb.append('}').toString();
    }
    if (n.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < n.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(respell(n.get(i), r));
      }
      return sb.append(']').toString();
    }
    if (n.isTextual()) {
      return respellString(n.textValue(), r);
    }
    if (n.isIntegralNumber() && r.nextBoolean()) {
      return n.asText() + ".0";
    }
    if (n.isBigDecimal() && r.nextBoolean()) {
      return n.decimalValue().toPlainString() + "00";
    }
    return n.toString();
  }

  private static String respellString(String s, Random r) {
    String form = r.nextBoolean() ? java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD) : s;
    StringBuilder sb = new StringBuilder("\"");
    for (char c : form.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c > 126 && r.nextBoolean()) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** One to three random edits: change a value, drop a key, add a key, reverse an array. */
  private static JsonNode mutate(JsonNode root, Random r) {
    if (!root.isContainerNode()) {
      return randomValue(r, 3);
    }
    int edits = 1 + r.nextInt(3);
    for (int e = 0; e < edits; e++) {
      List<JsonNode> containers = new ArrayList<>();
      collectContainers(root, containers);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      if (target.isObject()) {
        ObjectNode o = (ObjectNode) target;
        Iterator<String> names = o.fieldNames();
        if (names.hasNext() && r.nextBoolean()) {
          String name = names.next();
          if (r.nextBoolean()) {
            o.remove(name);
          } else {
            o.set(name, randomValue(r, 3));
          }
        } else {
          o.set("added" + e, randomValue(r, 3));
        }
      } else {
        ArrayNode a = (ArrayNode) target;
        if (a.size() > 1 && r.nextBoolean()) {
          List<JsonNode> items = new ArrayList<>();
          a.forEach(items::add);
          Collections.reverse(items);
          a.removeAll();
          a.addAll(items);
        } else {
          a.add(randomValue(r, 3));
        }
      }
    }
    return root;
  }

  private static void collectContainers(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(child -> collectContainers(child, out));
    }
  }
}
