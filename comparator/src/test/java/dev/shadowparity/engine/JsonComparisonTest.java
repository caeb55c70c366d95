package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonComparisonTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();

  static RecordedResponse json(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
  }

  static Comparison compare(String oldBody, String newBody) {
    return COMPARATOR.compare(json(oldBody), json(newBody), Rules.defaults());
  }

  static Comparison compare(String oldBody, String newBody, Rules rules) {
    return COMPARATOR.compare(json(oldBody), json(newBody), rules);
  }

  /** Each difference as "field kind path" for exact assertions. */
  static List<String> summary(Comparison c) {
    return c.differences().stream().map(d -> d.field() + " " + d.kind().wireName() + " " + d.path()).toList();
  }

  static Stream<Arguments> equalPairs() {
    return Stream.of(
        Arguments.of("keyOrderIgnored", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}"),
        Arguments.of("nestedKeyOrderIgnored", "{\"x\":{\"a\":1,\"b\":[{\"c\":1,\"d\":2}]}}", "{\"x\":{\"b\":[{\"d\":2,\"c\":1}],\"a\":1}}"),
        Arguments.of("numbersEqualByValue_1250_equals_1250_0", "{\"p\":1250}", "{\"p\":1250.0}"),
        Arguments.of("numbersEqualByValue_exponent", "{\"p\":1e3}", "{\"p\":1000}"),
        Arguments.of("numbersEqualByValue_trailingZeros", "{\"p\":0.50}", "{\"p\":0.5}"),
        Arguments.of("bigIntegerExact", "{\"id\":12345678901234567890123}", "{\"id\":12345678901234567890123}"),
        Arguments.of("bigDecimalExact", "{\"v\":0.1000000000000000000000001}", "{\"v\":0.1000000000000000000000001}"),
        Arguments.of("unicodeEscapeEqualsRawUtf8", "{\"name\":\"caf\\u00e9\"}", "{\"name\":\"café\"}"),
        Arguments.of("nfdEqualsNfc", "{\"name\":\"cafe\u0301\"}", "{\"name\":\"caf\u00e9\"}"),
        Arguments.of("nfcAppliesToKeys", "{\"cafe\u0301\":1}", "{\"caf\\u00e9\":1}"),
        Arguments.of("surrogatePairEscapes", "{\"e\":\"\\ud83d\\ude00\"}", "{\"e\":\"\uD83D\uDE00\"}"),
        Arguments.of("whitespaceIgnored", "{ \"a\" : [ 1 , 2 ] }", "{\"a\":[1,2]}"),
        Arguments.of("pythonNaNEqualsNaN", "{\"v\":NaN}", "{\"v\":NaN}"),
        Arguments.of("pythonInfinity", "{\"v\":-Infinity}", "{\"v\":-Infinity}"),
        Arguments.of("duplicateKeysLastWinsLikePython", "{\"a\":1,\"a\":2}", "{\"a\":2}"),
        Arguments.of("emptyContainers", "{\"a\":{},\"b\":[]}", "{\"b\":[],\"a\":{}}"),
        Arguments.of("topLevelArray", "[1,2,3]", "[1.0,2,3]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("equalPairs")
  void equalAfterNormalization(String name, String oldBody, String newBody) {
    Comparison c = compare(oldBody, newBody);
    assertThat(summary(c)).as(name).isEmpty();
    assertThat(c.match()).isTrue();
  }

  static Stream<Arguments> differentPairs() {
    return Stream.of(
        Arguments.of("integerVsTrueDivision_937_vs_937_5", "{\"avg\":937}", "{\"avg\":937.5}", List.of("/avg value /avg")),
        Arguments.of("roundHalfEven_3_0_vs_2", "{\"r\":3.0}", "{\"r\":2}", List.of("/r value /r")),
        Arguments.of("bytesReprLeak", "{\"s\":\"abc\"}", "{\"s\":\"b'abc'\"}", List.of("/s value /s")),
        Arguments.of("numberVsString", "{\"n\":5}", "{\"n\":\"5\"}", List.of("/n type /n")),
        Arguments.of("nullVsMissing", "{\"a\":1,\"b\":null}", "{\"a\":1}", List.of("/b missing /b")),
        Arguments.of("extraKey", "{\"a\":1}", "{\"a\":1,\"c\":true}", List.of("/c extra /c")),
        Arguments.of("nullVsValue", "{\"a\":null}", "{\"a\":0}", List.of("/a type /a")),
        Arguments.of("boolean", "{\"a\":true}", "{\"a\":false}", List.of("/a value /a")),
        Arguments.of("bigIntegerLastDigit", "{\"id\":12345678901234567890}", "{\"id\":12345678901234567891}", List.of("/id value /id")),
        Arguments.of("bigIntegerVsDoubleRounded", "{\"id\":12345678901234567890}", "{\"id\":1.2345678901234567e19}", List.of("/id value /id")),
        Arguments.of("arrayOrderOnce", "{\"t\":[1,2,3]}", "{\"t\":[3,1,2]}", List.of("/t array-order /t")),
        Arguments.of("arrayOrderOfObjects", "{\"t\":[{\"a\":1},{\"a\":2}]}", "{\"t\":[{\"a\":2},{\"a\":1.0}]}", List.of("/t array-order /t")),
        Arguments.of("samePriceBugInEveryItem_countsAsOneField", "{\"items\":[{\"p\":1},{\"p\":2},{\"p\":3}]}",
            "{\"items\":[{\"p\":1.5},{\"p\":2.5},{\"p\":3.5}]}",
            List.of("/items/*/p value /items/0/p", "/items/*/p value /items/1/p", "/items/*/p value /items/2/p")),
        Arguments.of("arrayGrewAtEnd", "{\"t\":[\"a\",\"b\"]}", "{\"t\":[\"a\",\"b\",\"c\"]}",
            List.of("/t array-length /t", "/t/* extra /t/2")),
        Arguments.of("arrayLostMiddleElement_alignedNotCascaded", "{\"t\":[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]}",
            "{\"t\":[{\"id\":1},{\"id\":3},{\"id\":4}]}", List.of("/t array-length /t", "/t/* missing /t/1")),
        Arguments.of("arrayInsertedAndChanged", "{\"t\":[{\"id\":1,\"v\":\"a\"},{\"id\":2,\"v\":\"b\"}]}",
            "{\"t\":[{\"id\":0,\"v\":\"z\"},{\"id\":1,\"v\":\"a\"},{\"id\":2,\"v\":\"B\"}]}",
            List.of("/t array-length /t", "/t/* extra /t/0", "/t/*/v value /t/1/v")),
        Arguments.of("objectVsArrayAtRoot", "{\"a\":1}", "[1]", List.of("body type ")),
        Arguments.of("keyWithSlashEscapedInPointer", "{\"a/b\":{\"c~d\":1}}", "{\"a/b\":{\"c~d\":2}}", List.of("/a~1b/c~0d value /a~1b/c~0d")),
        Arguments.of("nanVsNumber", "{\"v\":NaN}", "{\"v\":0}", List.of("/v value /v")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("differentPairs")
  void differencesFound(String name, String oldBody, String newBody, List<String> expected) {
    assertThat(summary(compare(oldBody, newBody))).as(name).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void differenceCarriesBothValues_stringsQuoted() {
    Difference d = compare("{\"n\":5}", "{\"n\":\"5\"}").differences().get(0);
    assertThat(d.oldValue()).isEqualTo("5");
    assertThat(d.newValue()).isEqualTo("\"5\"");
  }

  @Test
  void floatShownAsWritten_3_0_staysVisible() {
    Difference d = compare("{\"r\":3.0}", "{\"r\":2}").differences().get(0);
    assertThat(d.oldValue()).isEqualTo("3.0");
    assertThat(d.newValue()).isEqualTo("2");
  }

  @Test
  void longValuesTruncated() {
    String big = "x".repeat(5000);
    Difference d = compare("{\"s\":\"" + big + "\"}", "{\"s\":\"y\"}").differences().get(0);
    assertThat(d.oldValue()).hasSizeLessThan(300).contains("chars");
  }

  @Test
  void ignoredPathsWithWildcards() {
    Rules rules = Rules.builder().ignore("/meta/generated_at", "/items/*/ts", "/request_id").build();
    Comparison c = compare(
        "{\"request_id\":\"a\",\"meta\":{\"generated_at\":1,\"v\":1},\"items\":[{\"ts\":1,\"p\":1},{\"ts\":2,\"p\":2}]}",
        "{\"request_id\":\"b\",\"meta\":{\"generated_at\":2,\"v\":1},\"items\":[{\"ts\":9,\"p\":1},{\"ts\":8,\"p\":3}]}",
        rules);
    assertThat(summary(c)).containsExactly("/items/*/p value /items/1/p");
  }

  @Test
  void ignoredPathAlsoCoversMissingAndExtra() {
    Rules rules = Rules.builder().ignore("/debug", "/trace").build();
    assertThat(compare("{\"a\":1,\"debug\":{}}", "{\"a\":1,\"trace\":[1]}", rules).match()).isTrue();
  }

  @Test
  void ignoredSubtreeInsideArrayElementsDoesNotBreakOrderDetection() {
    Rules rules = Rules.builder().ignore("/t/*/ts").build();
    Comparison c = compare("{\"t\":[{\"id\":1,\"ts\":1},{\"id\":2,\"ts\":2}]}",
        "{\"t\":[{\"id\":2,\"ts\":7},{\"id\":1,\"ts\":8}]}", rules);
    assertThat(summary(c)).containsExactly("/t array-order /t");
  }

  @Test
  void unorderedArraysCompareAsMultisets() {
    Rules rules = Rules.builder().unordered("/tags", "/items/*/flags").build();
    assertThat(compare("{\"tags\":[\"a\",\"b\",\"b\"],\"items\":[{\"flags\":[1,2]}]}",
        "{\"tags\":[\"b\",\"a\",\"b\"],\"items\":[{\"flags\":[2,1]}]}", rules).match()).isTrue();
    assertThat(summary(compare("{\"tags\":[\"a\",\"b\",\"b\"]}", "{\"tags\":[\"b\",\"a\",\"c\"]}", rules)))
        .containsExactlyInAnyOrder("/tags/* missing /tags/2", "/tags/* extra /tags/2");
    assertThat(summary(compare("{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"b\"]}", rules)))
        .containsExactlyInAnyOrder("/tags array-length /tags", "/tags/* missing /tags/0");
  }

  @Test
  void unorderedNestedInsideOrderedElements_hashConsistentWithEquality() {
    // Elements equal only when the nested unordered arrays are compared as sets.
    Rules rules = Rules.builder().unordered("/rows/*/tags").build();
    Comparison c = compare("{\"rows\":[{\"tags\":[1,2]},{\"tags\":[3,4]}]}",
        "{\"rows\":[{\"tags\":[4,3]},{\"tags\":[2,1]}]}", rules);
    assertThat(summary(c)).containsExactly("/rows array-order /rows");
  }

  @Test
  void numericTolerance() {
    Rules rules = Rules.builder().numericTolerance(new BigDecimal("0.001")).build();
    assertThat(compare("{\"p\":0.1,\"q\":[1.0001,2]}", "{\"p\":0.1005,\"q\":[1,2.0009]}", rules).match()).isTrue();
    assertThat(summary(compare("{\"p\":0.1}", "{\"p\":0.102}", rules))).containsExactly("/p value /p");
    // with a tolerance, moved numbers are still found as moved
    assertThat(summary(compare("{\"t\":[1,2]}", "{\"t\":[2.0001,1]}", rules))).containsExactly("/t array-order /t");
  }

  @Test
  void differencesCappedAndMarkedTruncated() {
    StringBuilder a = new StringBuilder("[");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      a.append(i == 0 ? "" : ",").append("{\"v\":").append(i).append('}');
      b.append(i == 0 ? "" : ",").append("{\"v\":").append(i + 0.5).append('}');
    }
    Comparison c = compare(a.append(']').toString(), b.append(']').toString());
    assertThat(c.differences()).hasSize(CompareOptions.DEFAULT_MAX_DIFFERENCES);
    assertThat(c.truncated()).isTrue();
    assertThat(c.fields()).containsExactly("/*/v");
  }

  @Test
  void largeArraysWithOneRemovedElementAlignCheaply() {
    StringBuilder a = new StringBuilder("[");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 5000; i++) {
      a.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append('}');
      if (i != 2500) {
        b.append(b.length() == 1 ? "" : ",").append("{\"id\":").append(i).append('}');
      }
    }
    assertThat(summary(compare(a.append(']').toString(), b.append(']').toString())))
        .containsExactly("body array-length ", "/* missing /2500");
  }

  /**
   * Found by fuzzing (JsonDifferFuzzTest): equivalence probes walked into a differing nested array twice at every
   * level, 2^depth steps; 40 levels took hours. Now linear per level, and the deepest nesting Jackson reads (1,000)
   * still fits a thread's default stack.
   */
  @Test
  void deeplyNestedArraysDifferingAtTheLeafCompareQuickly() {
    for (int depth : new int[] {40, 990}) {
      String oldBody = "[".repeat(depth) + "1" + "]".repeat(depth);
      String newBody = "[".repeat(depth) + "2" + "]".repeat(depth);
      List<String> found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
          () -> summary(compare(oldBody, newBody)));
      assertThat(found).singleElement().asString().endsWith(" value " + "/0".repeat(depth));
      List<String> mixed = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
          () -> summary(compare("[{\"a\":".repeat(depth / 2) + "1" + "}]".repeat(depth / 2),
              "[{\"a\":".repeat(depth / 2) + "2" + "}]".repeat(depth / 2))));
      assertThat(mixed).hasSize(1);
    }
  }

  /**
   * Found while fuzzing the differ: under a numeric tolerance every number has the same hash, so matching an unordered
   * array tried each element against every other (30,000 numbers: minutes). The work is now bounded; shuffled numbers
   * within the tolerance still match.
   */
  @Test
  void unorderedNumbersUnderToleranceMatchInBoundedTime() {
    Rules rules = Rules.builder().unordered("").numericTolerance(new BigDecimal("0.001")).build();
    StringBuilder a = new StringBuilder("[");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 30_000; i++) {
      a.append(i == 0 ? "" : ",").append(i);
      b.append(i == 0 ? "" : ",").append(i + 30_000);
    }
    Comparison far = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
        () -> compare(a.append(']').toString(), b.append(']').toString(), rules));
    assertThat(far.truncated()).isTrue();
    StringBuilder shuffled = new StringBuilder("[");
    StringBuilder near = new StringBuilder("[");
    for (int i = 0; i < 1000; i++) {
      shuffled.append(i == 0 ? "" : ",").append((i * 7919) % 1000);
      near.append(i == 0 ? "" : ",").append(i).append(".0004");
    }
    assertThat(summary(compare(shuffled.append(']').toString(), near.append(']').toString(), rules))).isEmpty();
  }

  @Test
  void rulesPlus_joinsListsAndKeepsLargerTolerance() {
    Rules global = Rules.builder().ignore("/a").numericTolerance(new BigDecimal("0.1")).build();
    Rules endpoint = Rules.builder().ignore("/b").unordered("/c").numericTolerance(new BigDecimal("0.01")).build();
    Rules both = global.plus(endpoint);
    assertThat(both.ignore()).extracting(PointerPattern::toString).containsExactly("/a", "/b");
    assertThat(both.unordered()).extracting(PointerPattern::toString).containsExactly("/c");
    assertThat(both.numericTolerance()).isEqualByComparingTo("0.1");
  }
}
