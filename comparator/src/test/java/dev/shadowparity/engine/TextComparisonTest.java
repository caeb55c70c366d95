package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextComparisonTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();

  private static RecordedResponse html(String body) {
    return new RecordedResponse(200, Headers.of("Content-Type", "text/html; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void crlfEqualsLf() {
    assertThat(COMPARATOR.compare(html("a\r\nb\r\n"), html("a\nb\n"), Rules.defaults()).match()).isTrue();
  }

  @Test
  void oneChangedLine_isOneBodyDifference_withUnifiedDiff() {
    String old = "<html>\n<head><title>Shop</title></head>\n<body>\n<p>It's here</p>\n<p>Total: 3</p>\n</body>\n</html>\n";
    String neu = old.replace("It's", "It&#x27;s");
    Comparison c = COMPARATOR.compare(html(old), html(neu), Rules.defaults());
    assertThat(c.differences()).hasSize(1);
    Difference d = c.differences().get(0);
    assertThat(d.field()).isEqualTo("body");
    assertThat(d.kind()).isEqualTo(DiffKind.VALUE);
    assertThat(d.path()).isEqualTo("line 4");
    assertThat(d.oldValue()).isEqualTo("<p>It's here</p>");
    assertThat(d.newValue()).isEqualTo("<p>It&#x27;s here</p>");
    assertThat(d.detail()).startsWith("--- old\n+++ new\n@@ -1,7 +1,7 @@")
        .contains("-<p>It's here</p>\n+<p>It&#x27;s here</p>\n");
  }

  /** A body of one huge line: the diff shows its start and length, never copies of the whole line. */
  @Test
  void aHugeLine_isShownCut_butComparedWhole() {
    String big = "x".repeat(3_000_000);
    Comparison c = COMPARATOR.compare(html("head\n" + big + "a\ntail\n"), html("head\n" + big + "b\ntail\n"), Rules.defaults());
    assertThat(c.differences()).singleElement().satisfies(d -> {
      assertThat(d.path()).isEqualTo("line 2");
      assertThat(d.detail()).contains("... (3000001 characters in all)").hasSizeLessThan(10_000);
      assertThat(d.oldValue()).hasSizeLessThan(10_000);
    });
  }

  @Test
  void whitespaceFoldingIsOptIn() {
    RecordedResponse a = html("  <p>a   b</p>   \n");
    RecordedResponse b = html("<p>a\tb</p>\n");
    assertThat(COMPARATOR.compare(a, b, Rules.defaults()).match()).isFalse();
    assertThat(COMPARATOR.compare(a, b, Rules.builder().foldWhitespace(true).build()).match()).isTrue();
  }

  @Test
  void textIsComparedInNfc() {
    assertThat(COMPARATOR.compare(html("Cafe\u0301\n"), html("Caf\u00e9\n"), Rules.defaults()).match()).isTrue();
  }

  @Test
  void emptyVsNonEmpty_isMissingOrExtraBody() {
    RecordedResponse empty = new RecordedResponse(200, Headers.of("Content-Type", "text/html; charset=utf-8"), new byte[0]);
    assertThat(COMPARATOR.compare(html("x"), empty, Rules.defaults()).differences())
        .extracting(d -> d.field() + " " + d.kind()).containsExactly("body missing");
    assertThat(COMPARATOR.compare(empty, html("x"), Rules.defaults()).differences())
        .extracting(d -> d.field() + " " + d.kind()).containsExactly("body extra");
  }

  @Test
  void jsonVsHtml_isBodyTypeDifference() {
    RecordedResponse json = new RecordedResponse(200, Headers.of("Content-Type", "application/json"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    Comparison c = COMPARATOR.compare(json, html("<h1>Server Error</h1>"), Rules.defaults());
    assertThat(c.differences()).extracting(d -> d.field() + " " + d.kind())
        .containsExactly("header:content-type value", "body type");
  }

  @Test
  void binaryBodiesComparedByBytes() {
    RecordedResponse a = new RecordedResponse(200, Headers.of("Content-Type", "image/png"), new byte[] {1, 2, 3});
    RecordedResponse b = new RecordedResponse(200, Headers.of("Content-Type", "image/png"), new byte[] {1, 2, 4});
    assertThat(COMPARATOR.compare(a, a, Rules.defaults()).match()).isTrue();
    Difference d = COMPARATOR.compare(a, b, Rules.defaults()).differences().get(0);
    assertThat(d.field()).isEqualTo("body");
    assertThat(d.oldValue()).startsWith("3 bytes, sha256 ");
    assertThat(d.oldValue()).isNotEqualTo(d.newValue());
  }

  @Test
  void statusDifference() {
    RecordedResponse ok = html("x");
    RecordedResponse err = new RecordedResponse(500, ok.headers(), ok.body());
    assertThat(COMPARATOR.compare(ok, err, Rules.defaults()).differences())
        .extracting(d -> d.field() + " " + d.kind() + " " + d.oldValue() + " " + d.newValue())
        .containsExactly("status value 200 500");
  }
}
