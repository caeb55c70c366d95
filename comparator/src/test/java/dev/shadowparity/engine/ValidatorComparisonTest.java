package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ETag, Last-Modified, Expires and Cache-Control: compared by presence and kind by default, by value when named in
 * {@code compare-headers}, not at all when named in {@code ignore-headers}; differences show the values as received.
 */
class ValidatorComparisonTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();
  private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  /** One header on each side (a null value: the header is absent), Content-Type equal. */
  private static Comparison compareOne(String name, String oldValue, String newValue, Rules rules) {
    Headers a = oldValue == null ? Headers.of("Content-Type", "application/json") : Headers.of("Content-Type", "application/json", name, oldValue);
    Headers b = newValue == null ? Headers.of("Content-Type", "application/json") : Headers.of("Content-Type", "application/json", name, newValue);
    return COMPARATOR.compare(new RecordedResponse(200, a, BODY), new RecordedResponse(200, b, BODY), rules);
  }

  private static Comparison compareOne(String name, String oldValue, String newValue) {
    return compareOne(name, oldValue, newValue, Rules.defaults());
  }

  /** The one difference of a comparison. */
  private static Difference only(Comparison c) {
    assertThat(c.differences()).hasSize(1);
    return c.differences().get(0);
  }

  // ---------------------------------------------------------------- ETag

  @Test
  void etag_droppedByNew_isOneMissingDifference_showingOldsValue() {
    Difference d = only(compareOne("ETag", "W/\"abc\"", null));
    assertThat(d.field()).isEqualTo("header:etag");
    assertThat(d.kind()).isEqualTo(DiffKind.MISSING);
    assertThat(d.oldValue()).isEqualTo("W/\"abc\"");
    assertThat(d.newValue()).isNull();
  }

  @Test
  void etag_addedByNew_isExtra() {
    Difference d = only(compareOne("ETag", null, "\"v2\""));
    assertThat(d.kind()).isEqualTo(DiffKind.EXTRA);
    assertThat(d.newValue()).isEqualTo("\"v2\"");
  }

  @Test
  void etag_weakVsStrong_isValue_showingBothValues() {
    Difference d = only(compareOne("ETag", "\"33a64df5\"", "W/\"33a64df5\""));
    assertThat(d.field()).isEqualTo("header:etag");
    assertThat(d.kind()).isEqualTo(DiffKind.VALUE);
    assertThat(d.oldValue()).isEqualTo("\"33a64df5\"");
    assertThat(d.newValue()).isEqualTo("W/\"33a64df5\"");
  }

  @ParameterizedTest(name = "[{index}] {0} vs {1}")
  @CsvSource(delimiter = '|', value = {
      "\"abc\"                    | \"5f3c8a9b0d1e2f3a\"",
      "W/\"abc\"                  | W/\"xyz-42\"",
      "\"abc\"                    | abc",
  })
  void etag_differentValuesOfOneKind_areEqual(String oldTag, String newTag) {
    assertThat(compareOne("ETag", oldTag, newTag).differences()).isEmpty();
  }

  @Test
  void etag_weakIndicator_isCaseSensitive() {
    // RFC 9110 writes the weak indicator as %s"W/": a lower-case w/ is part of an (unusual) strong tag
    assertThat(only(compareOne("ETag", "w/\"abc\"", "W/\"abc\"")).kind()).isEqualTo(DiffKind.VALUE);
    assertThat(compareOne("ETag", "w/\"abc\"", "\"abc\"").differences()).isEmpty();
  }

  // ---------------------------------------------------------------- Last-Modified, Expires

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Last-Modified", "Expires"})
  void dateValidators_anyValueEqualsAnyValue(String name) {
    assertThat(compareOne(name, "Wed, 21 Oct 2015 07:28:00 GMT", "Thu, 01 Jan 2099 00:00:00 GMT").differences()).isEmpty();
    assertThat(compareOne(name, "Wed, 21 Oct 2015 07:28:00 GMT", "not a date").differences()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"Last-Modified", "Expires"})
  void dateValidators_presenceIsCompared_showingTheValue(String name) {
    Difference missing = only(compareOne(name, "Wed, 21 Oct 2015 07:28:00 GMT", null));
    assertThat(missing.field()).isEqualTo("header:" + name.toLowerCase(java.util.Locale.ROOT));
    assertThat(missing.kind()).isEqualTo(DiffKind.MISSING);
    assertThat(missing.oldValue()).isEqualTo("Wed, 21 Oct 2015 07:28:00 GMT");
    Difference extra = only(compareOne(name, null, "Wed, 21 Oct 2015 07:28:00 GMT"));
    assertThat(extra.kind()).isEqualTo(DiffKind.EXTRA);
    assertThat(extra.newValue()).isEqualTo("Wed, 21 Oct 2015 07:28:00 GMT");
  }

  @Test
  void expires_zeroOrUnparseable_stillCountsAsPresent() {
    assertThat(compareOne("Expires", "0", "Thu, 01 Jan 2099 00:00:00 GMT").differences()).isEmpty();
    assertThat(compareOne("Expires", "-1", "0").differences()).isEmpty();
    Difference d = only(compareOne("Expires", "0", null));
    assertThat(d.kind()).isEqualTo(DiffKind.MISSING);
    assertThat(d.oldValue()).isEqualTo("0");
  }

  // ---------------------------------------------------------------- Cache-Control

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "max-age=60                         | max-age=3600",
      "private, max-age=0                 | MAX-AGE=600, Private",
      "public, s-maxage=10, max-age=60    | max-age=1, public, s-maxage=99",
      "no-cache=\"Set-Cookie, X-User\"      | no-cache",
      "max-age = 60, must-revalidate      | must-revalidate,max-age=5",
  })
  void cacheControl_sameDirectiveNames_areEqual(String oldValue, String newValue) {
    assertThat(compareOne("Cache-Control", oldValue, newValue).differences()).isEmpty();
  }

  @Test
  void cacheControl_otherDirectiveNames_differ_showingBothValuesAsReceived() {
    Difference d = only(compareOne("Cache-Control", "max-age=60, private", "max-age=60, public"));
    assertThat(d.field()).isEqualTo("header:cache-control");
    assertThat(d.kind()).isEqualTo(DiffKind.VALUE);
    assertThat(d.oldValue()).isEqualTo("max-age=60, private");
    assertThat(d.newValue()).isEqualTo("max-age=60, public");
    Difference storeVsAge = only(compareOne("Cache-Control", "no-store", "max-age=60"));
    assertThat(storeVsAge.oldValue()).isEqualTo("no-store");
    assertThat(storeVsAge.newValue()).isEqualTo("max-age=60");
  }

  @Test
  void cacheControl_onSeveralLines_equalsOneLine() {
    Comparison c = COMPARATOR.compare(
        new RecordedResponse(200, Headers.of("Cache-Control", "private", "Cache-Control", "max-age=60"), BODY),
        new RecordedResponse(200, Headers.of("Cache-Control", "max-age=10, private"), BODY), Rules.defaults());
    assertThat(c.differences()).isEmpty();
  }

  @Test
  void cacheControl_quotedCommaDoesNotMakeADirective() {
    // "x-user" inside the quoted list is not a directive of its own
    assertThat(only(compareOne("Cache-Control", "private=\"set-cookie, x-user\"", "private, x-user")).kind())
        .isEqualTo(DiffKind.VALUE);
  }

  @Test
  void cacheControl_missingOnOneSide_isMissing() {
    Difference d = only(compareOne("Cache-Control", "no-store", null));
    assertThat(d.kind()).isEqualTo(DiffKind.MISSING);
    assertThat(d.oldValue()).isEqualTo("no-store");
  }

  // ---------------------------------------------------------------- rules

  @Test
  void compareHeaders_optsInToValueComparison() {
    Rules rules = Rules.builder().compareHeaders(List.of("ETag", "last-modified", "Cache-Control")).build();
    Difference etag = only(compareOne("ETag", "\"abc\"", "\"def\"", rules));
    assertThat(etag.kind()).isEqualTo(DiffKind.VALUE);
    assertThat(etag.oldValue()).isEqualTo("\"abc\"");
    assertThat(etag.newValue()).isEqualTo("\"def\"");
    assertThat(only(compareOne("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT", "Thu, 22 Oct 2015 07:28:00 GMT", rules))
        .kind()).isEqualTo(DiffKind.VALUE);
    assertThat(only(compareOne("Cache-Control", "max-age=60", "max-age=3600", rules)).kind()).isEqualTo(DiffKind.VALUE);
    assertThat(compareOne("Cache-Control", "Private, max-age=60", "max-age=60, private", rules).differences())
        .as("by value still means as a sorted, case-insensitive token list").isEmpty();
    assertThat(compareOne("Expires", "0", "1", rules).differences()).as("not named: still by presence").isEmpty();
  }

  @Test
  void compareHeaders_winsOverIgnoreHeaders_forValidatorsToo() {
    Rules rules = Rules.builder().ignoreHeaders(List.of("etag")).compareHeaders(List.of("etag")).build();
    assertThat(only(compareOne("ETag", "\"a\"", "\"b\"", rules)).kind()).isEqualTo(DiffKind.VALUE);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "ETag          | W/\"abc\"",
      "Last-Modified | Wed, 21 Oct 2015 07:28:00 GMT",
      "Expires       | 0",
      "Cache-Control | no-store",
  })
  void ignoreHeaders_stillIgnoresValidators(String name, String value) {
    Rules rules = Rules.builder().ignoreHeaders(List.of(name)).build();
    assertThat(compareOne(name, value, null, rules).differences()).isEmpty();
    assertThat(compareOne(name, null, value, rules).differences()).isEmpty();
  }

  @Test
  void rulesKnowWhichHeadersAreComparedByKind() {
    assertThat(Rules.defaults().comparesByKind("etag")).isTrue();
    assertThat(Rules.defaults().comparesByKind("x-api-version")).isFalse();
    assertThat(Rules.defaults().ignoresHeader("ETag")).isFalse();
    Rules optIn = Rules.defaults().plus(Rules.builder().compareHeaders(List.of("ETag")).build());
    assertThat(optIn.comparesByKind("etag")).isFalse();
  }
}
