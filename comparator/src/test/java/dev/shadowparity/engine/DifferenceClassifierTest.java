package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every classification rule with positive and negative cases, through the real path: two responses are compared,
 * then the differences classified with the comparison's own context. Each row is {@code OLD, NEW, cause} with
 * {@code -} where no cause must be given (unclassified is fine, a wrong class is not).
 */
class DifferenceClassifierTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();
  private static final String NONE = "-";

  // ---------------------------------------------------------------- helpers

  private static RecordedResponse response(int status, String contentType, String body, String... headers) {
    Headers.Builder h = Headers.builder();
    if (contentType != null) {
      h.add("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return new RecordedResponse(status, h.build(), body.getBytes(StandardCharsets.UTF_8));
  }

  /** The causes of all differences ({@code -} for none), each once. */
  private static Set<String> causes(RecordedRequest request, RecordedResponse a, RecordedResponse b) {
    Comparison c = COMPARATOR.compare(a, b, Rules.defaults());
    assertThat(c.differences()).as("the pair must differ").isNotEmpty();
    Comparison classified = DifferenceClassifier.classify(c, DifferenceClassifier.Context.of(request, a, b, c));
    return classified.differences().stream().map(d -> d.cause() == null ? NONE : d.cause().wireName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** {@code {"<key>": OLD}} vs {@code {"<key>": NEW}}, both JSON literals. */
  private static Set<String> jsonMember(String key, String oldLiteral, String newLiteral) {
    return causes(RecordedRequest.get("/x"), response(200, "application/json", "{\"" + key + "\": " + oldLiteral + "}"),
        response(200, "application/json", "{\"" + key + "\": " + newLiteral + "}"));
  }

  private static Set<String> json(String oldLiteral, String newLiteral) {
    return jsonMember("v", oldLiteral, newLiteral);
  }

  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void check(Set<String> found, String expected, String oldValue, String newValue) {
    assertThat(found).as("%s vs %s", oldValue, newValue).containsExactly(expected);
  }

  // ---------------------------------------------------------------- integer-division

  static Stream<Arguments> integerDivision() {
    return Stream.of(
        Arguments.of("937", "937.5", "integer-division"),
        Arguments.of("0", "0.3333333333333333", "integer-division"),
        Arguments.of("2", "2.6666666666666665", "integer-division"),
        Arguments.of("-4", "-3.5", "integer-division"), // Python 2 floors -7/2 to -4
        Arguments.of("41", "41.2", "integer-division"),
        Arguments.of("12345678901234567", "1.2345678901234568e+16", "integer-division"),
        Arguments.of("937", "938", NONE), // NEW an int
        Arguments.of("937", "938.5", NONE), // floor(938.5) is not 937
        Arguments.of("937", "936.5", NONE),
        Arguments.of("-3", "-3.5", NONE), // floor(-3.5) is -4
        Arguments.of("937", "937.1234567891", NONE), // no small divisor gives that float
        Arguments.of("937", "938.0", NONE), // an integral float below 2^53
        Arguments.of("937.0", "937.5", NONE), // OLD a float
        Arguments.of("12345678901234567", "12345678901234568", NONE), // NEW an int
        Arguments.of("12345678901234567", "1.2345678901234572e+16", NONE)); // further than a rounding
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("integerDivision")
  void integerDivision_oldIntNewQuotient(String oldValue, String newValue, String cause) {
    check(json(oldValue, newValue), cause, oldValue, newValue);
  }

  // ---------------------------------------------------------------- round-half-even

  static Stream<Arguments> roundHalfEven() {
    return Stream.of(
        Arguments.of("3.0", "2", "round-half-even"), // round(2.5)
        Arguments.of("1.0", "0", "round-half-even"), // round(0.5)
        Arguments.of("-3.0", "-2", "round-half-even"), // round(-2.5)
        Arguments.of("5.0", "4", "round-half-even"),
        Arguments.of("3.0", "2.0", "round-half-even"),
        Arguments.of("10.13", "10.12", "round-half-even"), // round(10.125, 2)
        Arguments.of("0.3", "0.2", "round-half-even"),
        Arguments.of("10.1", "10.09", NONE), // 9 is odd: half-even of 10.095 is 10.1 too
        Arguments.of("3", "2", NONE), // OLD an int: not Python 2's round()
        Arguments.of("4.0", "3", NONE), // 3 is odd: round(3.5) is 4 either way
        Arguments.of("3.0", "4", NONE), // NEW further from zero
        Arguments.of("5.0", "3", NONE), // two apart
        Arguments.of("10.12", "10.11", NONE),
        Arguments.of("10.14", "10.12", NONE),
        Arguments.of("3.0", "-2", NONE), // signs differ
        Arguments.of("2.5", "2", NONE));
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("roundHalfEven")
  void roundHalfEven_oldAwayFromZeroNewEven(String oldValue, String newValue, String cause) {
    check(json(oldValue, newValue), cause, oldValue, newValue);
  }

  // ---------------------------------------------------------------- float-precision

  static Stream<Arguments> floatPrecision() {
    return Stream.of(
        Arguments.of(q("0.333333333333"), q("0.3333333333333333"), "float-precision"),
        Arguments.of(q("0.142857142857"), q("0.14285714285714285"), "float-precision"),
        Arguments.of(q("3.3"), q("3.3000000000000003"), "float-precision"),
        Arguments.of(q("Pack of 3: 3.3 EUR"), q("Pack of 3: 3.3000000000000003 EUR"), "float-precision"),
        Arguments.of("0.333333333333", "0.3333333333333333", "float-precision"), // as JSON numbers
        Arguments.of(q("0.333333333333"), q("0.3333333334"), NONE), // NEW is not a repr
        Arguments.of(q("0.33333333333"), q("0.3333333333333333"), NONE), // OLD 11 digits: not %.12g of NEW
        Arguments.of(q("0.333333333334"), q("0.3333333333333333"), NONE),
        Arguments.of(q("3.3"), q("3.4000000000000004"), NONE),
        Arguments.of(q("Pack of 3: 3.3 EUR"), q("Pack of 4: 3.3000000000000003 EUR"), NONE), // another number too
        Arguments.of(q("3.3 EUR"), q("3.3000000000000003 USD"), NONE), // other text too
        Arguments.of(q("0.3333333333333333"), q("0.333333333333"), NONE)); // the other way round
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("floatPrecision")
  void floatPrecision_oldTwelveDigitsNewRepr(String oldValue, String newValue, String cause) {
    check(json(oldValue, newValue), cause, oldValue, newValue);
  }

  // ---------------------------------------------------------------- bytes-repr, unicode-repr-prefix, long-suffix

  static Stream<Arguments> reprLeaks() {
    return Stream.of(
        Arguments.of("SKU-0021", "b'SKU-0021'", "bytes-repr"),
        Arguments.of("Baker's Dozen", "b\"Baker's Dozen\"", "bytes-repr"),
        Arguments.of("café", "b'caf\\xc3\\xa9'", "bytes-repr"),
        Arguments.of("it's \"x\"", "b'it\\'s \"x\"'", "bytes-repr"),
        Arguments.of("a, b", "b'a', b'b'", "bytes-repr"),
        Arguments.of("SKU-0021", "b'SKU-0022'", NONE),
        Arguments.of("JacoSmith", "Jacob'Smith'", NONE), // a b inside a word
        Arguments.of("abc", "b'abc", NONE), // not closed
        Arguments.of("café", "b'café'", NONE), // a bytes repr never holds non-ASCII
        Arguments.of("x", "b'\\q'", NONE), // not an escape of a bytes repr
        Arguments.of("caf\u00ff", "b'caf\\xff'", NONE), // the bytes are not UTF-8
        Arguments.of("b'SKU'", "SKU", NONE), // the other way round
        Arguments.of("Added 3 x u'A-1' to order 43", "Added 3 x 'A-1' to order 43", "unicode-repr-prefix"),
        Arguments.of("[u'a', u'b']", "['a', 'b']", "unicode-repr-prefix"),
        Arguments.of("u\"x\"", "\"x\"", "unicode-repr-prefix"),
        Arguments.of("menu'x'", "men'x'", NONE), // a u inside a word
        Arguments.of("u'A-1'", "'A-2'", NONE),
        Arguments.of("'A-1'", "u'A-1'", NONE),
        Arguments.of("0xab54a98ceb1f0ad2L", "0xab54a98ceb1f0ad2", "long-suffix"),
        Arguments.of("(1L, 'a')", "(1, 'a')", "long-suffix"),
        Arguments.of("{'n': 2L, 'm': 30L}", "{'n': 2, 'm': 30}", "long-suffix"),
        Arguments.of("10L", "10", NONE), // ten litres, not a long
        Arguments.of("Model 10L bottle", "Model 10 bottle", NONE),
        Arguments.of("0x1fL", "0x1e", NONE),
        Arguments.of("0x1f", "0x1fL", NONE));
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("reprLeaks")
  void reprLeaks_inJsonStrings(String oldValue, String newValue, String cause) {
    check(json(q(oldValue), q(newValue)), cause, oldValue, newValue);
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("reprLeaks")
  void reprLeaks_inHeaderValues(String oldValue, String newValue, String cause) {
    Set<String> found = causes(RecordedRequest.get("/x"), response(200, "text/plain", "same", "X-Value", oldValue),
        response(200, "text/plain", "same", "X-Value", newValue));
    check(found, cause, oldValue, newValue);
  }

  // ---------------------------------------------------------------- html-escaping, unicode-escaping

  static Stream<Arguments> escaping() {
    return Stream.of(
        Arguments.of("Baker's Dozen", "Baker&#x27;s Dozen", "html-escaping"),
        Arguments.of("Baker's", "Baker&#39;s", "html-escaping"),
        Arguments.of("Baker&#39;s", "Baker&#x27;s", "html-escaping"),
        Arguments.of("say \"hi\"", "say &quot;hi&quot;", "html-escaping"),
        Arguments.of("a & b <i>", "a &amp; b &lt;i&gt;", "html-escaping"),
        Arguments.of("Baker's", "Bakers", NONE),
        Arguments.of("a &amp; b", "a &amp;amp; b", NONE), // escaped twice: not equal after one unescape
        Arguments.of("&#x27;", "\"", NONE),
        Arguments.of("&bogus;", "x", NONE),
        Arguments.of("Op\\u00e9ra", "Opéra", "unicode-escaping"),
        Arguments.of("caf\\xc3\\xa9", "café", "unicode-escaping"),
        Arguments.of("caf\\xe9", "café", "unicode-escaping"),
        Arguments.of("\\U0001F600", "\uD83D\uDE00", "unicode-escaping"),
        Arguments.of("\\ud83d\\ude00", "\uD83D\uDE00", "unicode-escaping"),
        Arguments.of("Op\\u00e9ra", "Opera", NONE),
        Arguments.of("\\u00e9", "\\u00e8", NONE),
        Arguments.of("caf\\xc3", "café", NONE),
        Arguments.of("Cafe", "Café", NONE));
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("escaping")
  void escaping_inJsonStrings(String oldValue, String newValue, String cause) {
    check(json(q(oldValue), q(newValue)), cause, oldValue, newValue);
  }

  @Test
  void unicodeEscaping_nfdVsNfc_inAHeader() {
    // JSON strings and text lines are compared in NFC already; a header is not
    Set<String> found = causes(RecordedRequest.get("/x"), response(200, "text/plain", "same", "X-Name", "Cafe\u0301"),
        response(200, "text/plain", "same", "X-Name", "Caf\u00e9"));
    assertThat(found).containsExactly("unicode-escaping");
  }

  // ---------------------------------------------------------------- none-null-handling

  static Stream<Arguments> noneNull() {
    return Stream.of(
        Arguments.of("{\"d\": null, \"a\": 1}", "{\"a\": 1}", "none-null-handling"),
        Arguments.of("{\"a\": 1}", "{\"a\": 1, \"d\": null}", "none-null-handling"),
        Arguments.of("{\"d\": null}", "{\"d\": \"None\"}", "none-null-handling"),
        Arguments.of("{\"d\": \"None\"}", "{\"d\": \"\"}", "none-null-handling"),
        Arguments.of("{\"d\": null}", "{\"d\": \"\"}", "none-null-handling"),
        Arguments.of("{\"d\": \"null\"}", "{\"d\": \"None\"}", "none-null-handling"),
        Arguments.of("{\"d\": {\"e\": null}}", "{\"d\": {}}", "none-null-handling"),
        Arguments.of("{\"d\": 0}", "{}", NONE),
        Arguments.of("{\"d\": \"x\"}", "{}", NONE),
        Arguments.of("{\"d\": null}", "{\"d\": 0}", NONE),
        Arguments.of("{\"d\": null}", "{\"d\": false}", NONE),
        Arguments.of("{\"d\": null}", "{\"d\": []}", NONE),
        Arguments.of("{\"d\": \"null\"}", "{\"d\": \"\"}", NONE), // no None on either side
        Arguments.of("{\"d\": [1, null]}", "{\"d\": [1]}", NONE)); // a list element, not a member
  }

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @MethodSource("noneNull")
  void noneNullHandling(String oldBody, String newBody, String cause) {
    Set<String> found = causes(RecordedRequest.get("/x"), response(200, "application/json", oldBody),
        response(200, "application/json", newBody));
    check(found, cause, oldBody, newBody);
  }

  @Test
  void noneNullHandling_headerNoneVsAbsentOrEmpty() {
    RecordedResponse none = response(200, "text/plain", "x", "X-Coupon", "None");
    assertThat(causes(null, none, response(200, "text/plain", "x"))).containsExactly("none-null-handling");
    assertThat(causes(null, response(200, "text/plain", "x"), none)).containsExactly("none-null-handling");
    assertThat(causes(null, none, response(200, "text/plain", "x", "X-Coupon", ""))).containsExactly("none-null-handling");
    assertThat(causes(null, response(200, "text/plain", "x", "X-Coupon", "0"), response(200, "text/plain", "x")))
        .containsExactly(NONE);
  }

  // ---------------------------------------------------------------- array-order

  @Test
  void arrayOrder_sameElementsOtherOrder_butNotAChangedElement() {
    assertThat(json("[1, 2, 3]", "[3, 1, 2]")).containsExactly("array-order");
    assertThat(json("[1, 2, 3]", "[1, 2, 4]")).containsExactly(NONE);
    assertThat(json("[1, 2, 3]", "[1, 2]")).containsExactly(NONE);
  }

  // ---------------------------------------------------------------- new-server-error, auth-rejected

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(200, 500, null, "new-server-error"),
        Arguments.of(404, 503, null, "new-server-error"),
        Arguments.of(302, 500, "Cookie", "new-server-error"),
        Arguments.of(500, 200, null, NONE),
        Arguments.of(200, 404, null, NONE),
        Arguments.of(200, 499, null, NONE),
        Arguments.of(200, 401, "Cookie", "auth-rejected"),
        Arguments.of(200, 403, "Authorization", "auth-rejected"),
        Arguments.of(302, 401, "Cookie", "auth-rejected"),
        Arguments.of(200, 401, null, NONE), // no credentials: nothing was rejected
        Arguments.of(200, 401, "EmptyCookie", NONE),
        Arguments.of(404, 401, "Cookie", NONE), // OLD did not succeed
        Arguments.of(200, 400, "Cookie", NONE));
  }

  @ParameterizedTest(name = "{0} vs {1} with {2}: {3}")
  @MethodSource("statuses")
  void statusCauses_giveEveryDifferenceOfTheExchangeTheirCause(int oldStatus, int newStatus, String credentials,
      String cause) {
    Headers headers = credentials == null ? Headers.empty() : switch (credentials) {
      case "Cookie" -> Headers.of("Cookie", "sid=eyJ1c2VyIjo3fQ; theme=dark");
      case "Authorization" -> Headers.of("Authorization", "Bearer abc");
      default -> Headers.of("Cookie", " ");
    };
    RecordedRequest request = new RecordedRequest("GET", "/account", headers, null);
    Set<String> found = causes(request, response(oldStatus, "application/json", "{\"user\": 7}"),
        response(newStatus, "text/html", "<html><body>Error</body></html>"));
    // status, content-type and body all differ; they share the exchange's cause or have none
    assertThat(found).as("%d vs %d", oldStatus, newStatus).containsExactly(cause);
  }

  @Test
  void statusCauseWins_overAValueRule() {
    Set<String> found = causes(null, response(200, "application/json", "{\"avg\": 937}"),
        response(500, "application/json", "{\"avg\": 937.5}"));
    assertThat(found).containsExactly("new-server-error");
  }

  @Test
  void carriesCredentials_needsANamedCookieOrAnAuthorization() {
    assertThat(DifferenceClassifier.carriesCredentials(new RecordedRequest("GET", "/", Headers.of("Cookie", "sid=1"), null))).isTrue();
    assertThat(DifferenceClassifier.carriesCredentials(new RecordedRequest("GET", "/", Headers.of("authorization", "Basic eDp5"), null))).isTrue();
    assertThat(DifferenceClassifier.carriesCredentials(new RecordedRequest("GET", "/", Headers.of("Cookie", "=x"), null))).isFalse();
    assertThat(DifferenceClassifier.carriesCredentials(new RecordedRequest("GET", "/", Headers.of("Authorization", " "), null))).isFalse();
    assertThat(DifferenceClassifier.carriesCredentials(RecordedRequest.get("/"))).isFalse();
  }

  // ---------------------------------------------------------------- volatile-value

  static Stream<Arguments> volatileValues() {
    String u1 = "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c";
    String u2 = "a0b1c2d3-e4f5-4a6b-9c8d-7e6f5a4b3c2d";
    return Stream.of(
        Arguments.of("v", q("2026-11-21T11:14:47Z"), q("2026-11-21T11:14:48Z"), "volatile-value"),
        Arguments.of("v", q("2026-11-21 11:14:47.123456"), q("2026-11-21 11:14:49.654321"), "volatile-value"),
        Arguments.of("v", q("Sat, 21 Nov 2026 11:14:47 GMT"), q("Sun, 22 Nov 2026 09:00:01 GMT"), "volatile-value"),
        Arguments.of("v", q(u1), q(u2), "volatile-value"),
        Arguments.of("v", q("req-" + u1 + " at 2026-11-21T11:14:47Z"), q("req-" + u2 + " at 2026-11-21T11:14:50Z"),
            "volatile-value"),
        Arguments.of("v", q("9f86d081884c7d659a2feaa0c55ad015"), q("5e884898da28047151d0e56f8dc62927"), "volatile-value"),
        Arguments.of("created_at", "1763723687", "1763723688", "volatile-value"),
        Arguments.of("expiresAt", "1763723687.25", "1763723699.5", "volatile-value"),
        Arguments.of("ts", "1763723687123", "1763723687999", "volatile-value"),
        Arguments.of("ts", q("1763723687"), q("1763723688"), "volatile-value"),
        Arguments.of("v", q("2026-11-24T00:00:00"), q("2026-11-25T00:00:00"), NONE), // two midnights: dates
        Arguments.of("v", q("2026-11-21T11:14:47Z"), q("2026-11-21T11:14:47+00:00"), NONE), // another format
        Arguments.of("v", q("2026-11-21"), q("2026-11-22"), NONE), // a date, no clock
        Arguments.of("v", q(u1), q(u1.toUpperCase()), NONE), // the same id in another case
        Arguments.of("v", q(u1), q("2026-11-21T11:14:47Z"), NONE),
        Arguments.of("v", q("abc " + u1), q("abd " + u2), NONE), // other text differs too
        Arguments.of("v", q("1234567890123456"), q("1234567890123457"), NONE), // digits only: a number
        Arguments.of("order_id", "1763723687", "1763723688", NONE), // no time-like name
        Arguments.of("created_at", "123", "124", NONE), // not a plausible epoch
        Arguments.of("created_at", "1763723687", "1763723687123", NONE), // seconds vs milliseconds
        Arguments.of("created_at", "5000000000", "5000000001", NONE)); // after 2100
  }

  @ParameterizedTest(name = "{0}: {1} vs {2}: {3}")
  @MethodSource("volatileValues")
  void volatileValues_timestampsUuidsHexIds(String key, String oldValue, String newValue, String cause) {
    check(jsonMember(key, oldValue, newValue), cause, oldValue, newValue);
  }

  @Test
  void volatileValue_inATimestampHeader() {
    Set<String> found = causes(null, response(200, "text/plain", "x", "X-Timestamp", "1763723687"),
        response(200, "text/plain", "x", "X-Timestamp", "1763723689"));
    assertThat(found).containsExactly("volatile-value");
  }

  // ---------------------------------------------------------------- text bodies (changed lines)

  private static Set<String> text(String oldBody, String newBody) {
    return causes(null, response(200, "text/html; charset=utf-8", oldBody), response(200, "text/html; charset=utf-8", newBody));
  }

  @Test
  void textBody_everyChangedLinePair_mustShareOneCause() {
    String head = "<html>\n<body>\n";
    String tail = "<p>same</p>\n</body>\n</html>\n";
    assertThat(text(head + "<p>3.3 EUR</p>\n" + tail, head + "<p>3.3000000000000003 EUR</p>\n" + tail))
        .containsExactly("float-precision");
    assertThat(text(head + "<p>Baker's</p>\n<p>Tom's</p>\n" + tail, head + "<p>Baker&#x27;s</p>\n<p>Tom&#x27;s</p>\n" + tail))
        .containsExactly("html-escaping");
    // two causes in one body: the body difference gets neither
    assertThat(text(head + "<p>3.3 EUR</p>\n<p>x</p>\n<p>Baker's</p>\n" + tail,
        head + "<p>3.3000000000000003 EUR</p>\n<p>x</p>\n<p>Baker&#x27;s</p>\n" + tail)).containsExactly(NONE);
    // one line became two: no pairing
    assertThat(text(head + "<p>3.3 EUR</p>\n" + tail, head + "<p>3.3000000000000003</p>\n<p>EUR</p>\n" + tail))
        .containsExactly(NONE);
    // one pair fits, another changed line does not
    assertThat(text(head + "<p>3.3 EUR</p>\n<p>x</p>\n<p>a</p>\n" + tail,
        head + "<p>3.3000000000000003 EUR</p>\n<p>x</p>\n<p>b</p>\n" + tail)).containsExactly(NONE);
  }

  @Test
  void textBody_cutDiff_isNotClassified() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      a.append("<p>").append(i).append(" 3.3 EUR</p>\n<p>keep ").append(i).append("</p>\n");
      b.append("<p>").append(i).append(" 3.3000000000000003 EUR</p>\n<p>keep ").append(i).append("</p>\n");
    }
    Comparison c = COMPARATOR.compare(response(200, "text/plain", a.toString()), response(200, "text/plain", b.toString()),
        Rules.defaults());
    assertThat(c.differences().get(0).detail()).as("the diff must be cut for this test").contains("more diff lines");
    assertThat(text(a.toString(), b.toString())).containsExactly(NONE);
  }

  // ---------------------------------------------------------------- undecodable body

  @Test
  void bytesRepr_breakingHandTemplatedJson_butNotOtherBreakage() {
    String old = "{\"id\": 21, \"name\": \"Baker's Dozen\", \"category\": \"bakery\"}";
    assertThat(causes(null, response(200, "application/json", old),
        response(200, "application/json", "{\"id\": 21, \"name\": \"b\"Baker's Dozen\"\", \"category\": \"b'bakery'\"}")))
        .containsExactly("bytes-repr");
    assertThat(causes(null, response(200, "application/json", old),
        response(200, "application/json", "{\"id\": 21, \"name\": \"b\"Baker's Dozen\"\", \"category\": \"pastry\"}")))
        .containsExactly(NONE);
    assertThat(causes(null, response(200, "application/json", old), response(200, "application/json", old.substring(0, 30))))
        .containsExactly(NONE);
  }

  // ---------------------------------------------------------------- the API itself

  @Test
  void aMatch_isReturnedAsItIs() {
    Comparison match = COMPARATOR.compare(response(200, "application/json", "{\"a\": 1}"),
        response(200, "application/json", "{\"a\": 1.0}"), Rules.defaults());
    assertThat(DifferenceClassifier.classify(match, DifferenceClassifier.Context.of(200, 200))).isSameAs(match);
  }

  @Test
  void withoutBodies_rulesReadTheRenderedValues() {
    DifferenceClassifier.Context ctx = DifferenceClassifier.Context.of(200, 200);
    assertThat(DifferenceClassifier.classify(new Difference("/a", "/a", DiffKind.VALUE, "937", "937.5"), ctx))
        .isEqualTo(Cause.INTEGER_DIVISION);
    assertThat(DifferenceClassifier.classify(new Difference("/s", "/s", DiffKind.VALUE, "\"x\"", "\"b'x'\""), ctx))
        .isEqualTo(Cause.BYTES_REPR);
    // a value cut for display is not classified: the rest could differ
    String cut = "\"" + "x".repeat(200) + "… (900 chars)";
    assertThat(DifferenceClassifier.classify(new Difference("/s", "/s", DiffKind.VALUE, cut, "\"b'x'\""), ctx)).isNull();
    assertThat(DifferenceClassifier.classify(new Difference("header:x-a", "x-a", DiffKind.VALUE, "x", "b'x'… (900 chars)"), ctx))
        .isNull();
  }

  @Test
  void causeIsSerialized_andAbsentWhenNull() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    Difference d = new Difference("/a", "/a", DiffKind.VALUE, "937", "937.5");
    assertThat(mapper.writeValueAsString(d)).doesNotContain("cause");
    assertThat(mapper.writeValueAsString(d.withCause(Cause.INTEGER_DIVISION)))
        .isEqualTo("{\"field\":\"/a\",\"path\":\"/a\",\"kind\":\"value\",\"old\":\"937\",\"new\":\"937.5\","
            + "\"cause\":\"integer-division\"}");
    assertThat(d.withCause(null)).isSameAs(d);
  }

  @Test
  void wireNames_areStableKebabCase() {
    assertThat(Stream.of(Cause.values()).map(Cause::wireName)).containsExactly("integer-division", "round-half-even",
        "bytes-repr", "unicode-repr-prefix", "long-suffix", "float-precision", "array-order", "unicode-escaping",
        "none-null-handling", "new-server-error", "auth-rejected", "html-escaping", "volatile-value",
        "write-not-mirrored");
    for (Cause c : Cause.values()) {
      assertThat(Cause.fromWireName(c.wireName())).isSameAs(c);
    }
  }

  @Test
  void randomTexts_neverThrow_andEqualTextsGetNoCause() {
    Random random = new Random(7);
    String alphabet = "ab'\"\\xuLU0123456789&#;.-:T Z{}[](),e";
    for (int i = 0; i < 20_000; i++) {
      String a = randomText(random, alphabet);
      String b = random.nextInt(4) == 0 ? a : randomText(random, alphabet);
      Difference d = new Difference("header:x-r", "x-r", DiffKind.VALUE, a, b);
      Cause c = DifferenceClassifier.classify(d, DifferenceClassifier.Context.of(200, 200));
      if (a.equals(b)) {
        assertThat(c).as("%s vs itself", a).isNull();
      }
    }
  }

  private static String randomText(Random random, String alphabet) {
    char[] chars = new char[random.nextInt(24)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  @Test
  void noRuleFitsTwoEqualTexts() {
    for (String s : List.of("b'x'", "u'x'", "0x1fL", "&#39;", "\\u00e9", "2026-11-21T11:14:47Z", "None", "")) {
      assertThat(DifferenceClassifier.classify(new Difference("header:x", "x", DiffKind.VALUE, s, s),
          DifferenceClassifier.Context.of(200, 200))).as(s).isNull();
    }
  }
}
