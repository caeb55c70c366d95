package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Header comparison through {@code ResponseComparator.compare}. */
class HeaderComparisonTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();
  private static final byte[] BODY = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  private static RecordedResponse response(String... headers) {
    return new RecordedResponse(200, Headers.of(headers), BODY);
  }

  private static Comparison compare(Headers oldHeaders, Headers newHeaders, Rules rules) {
    return COMPARATOR.compare(new RecordedResponse(200, oldHeaders, BODY), new RecordedResponse(200, newHeaders, BODY), rules);
  }

  private static Comparison compare(Headers oldHeaders, Headers newHeaders) {
    return compare(oldHeaders, newHeaders, Rules.defaults());
  }

  /** One header on each side (a null value: the header is absent), other headers equal. */
  private static Comparison compareOne(String name, String oldValue, String newValue) {
    return compareOne(name, oldValue, newValue, Rules.defaults());
  }

  private static Comparison compareOne(String name, String oldValue, String newValue, Rules rules) {
    Headers a = oldValue == null ? Headers.of("Content-Type", "application/json") : Headers.of("Content-Type", "application/json", name, oldValue);
    Headers b = newValue == null ? Headers.of("Content-Type", "application/json") : Headers.of("Content-Type", "application/json", name, newValue);
    if (name.equalsIgnoreCase("content-type")) {
      a = oldValue == null ? Headers.empty() : Headers.of(name, oldValue);
      b = newValue == null ? Headers.empty() : Headers.of(name, newValue);
    }
    return compare(a, b, rules);
  }

  /** Each difference as "field kind path". */
  private static List<String> summary(Comparison c) {
    return c.differences().stream().map(d -> d.field() + " " + d.kind().wireName() + " " + d.path()).toList();
  }

  // ---------------------------------------------------------------- names

  @Test
  void headerNames_areCaseInsensitive() {
    Comparison c = compare(Headers.of("Content-Type", "application/json", "X-Api-Version", "3", "cache-control", "no-cache"),
        Headers.of("content-type", "application/json", "x-api-version", "3", "CACHE-CONTROL", "no-cache"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void headerNamesInDifferences_areLowerCase() {
    Comparison c = compareOne("X-Api-Version", "3", "4");
    assertThat(summary(c)).containsExactly("header:x-api-version value x-api-version");
    assertThat(c.differences().get(0).oldValue()).isEqualTo("3");
    assertThat(c.differences().get(0).newValue()).isEqualTo("4");
  }

  @Test
  void repeatedHeader_equalsCommaJoinedHeader() {
    Comparison c = compare(Headers.of("X-Tags", "a", "x-tags", "b"), Headers.of("X-Tags", "a, b"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void whitespaceInValues_isFolded() {
    Comparison c = compareOne("X-Note", "  hello   world\t", "hello world");
    assertThat(summary(c)).isEmpty();
  }

  // ---------------------------------------------------------------- default-ignored headers

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "Date", "Server", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "X-Request-Id",
      "Age", "Via", "X-Powered-By", "X-Correlation-Id", "X-Amzn-Trace-Id", "traceparent",
      "tracestate", "X-Runtime", "X-Served-By", "X-Cache", "X-Cache-Hits", "X-Timer", "CF-Ray",
      "Upgrade", "Trailer", "TE", "Proxy-Connection",
  })
  void defaultIgnoredHeader_neverDiffers(String name) {
    assertThat(summary(compareOne(name, "old-value", "new-value"))).isEmpty();
    assertThat(summary(compareOne(name, "old-value", null))).isEmpty();
    assertThat(summary(compareOne(name, null, "new-value"))).isEmpty();
    assertThat(summary(compareOne(name.toUpperCase(), "a", "b"))).isEmpty();
  }

  @Test
  void contentEncoding_isNotComparedAsHeader() {
    assertThat(summary(compareOne("Content-Encoding", "identity", null))).isEmpty();
    assertThat(summary(compareOne("Content-Encoding", "Identity", "identity"))).isEmpty();
  }

  @Test
  void typicalPython2VsPython3ServerHeaders_neverDiffer() {
    Comparison c = compare(
        Headers.of("Server", "BaseHTTP/0.3 Python/2.7.18", "Date", "Mon, 01 Jan 2024 00:00:00 GMT",
            "Content-Type", "application/json", "Content-Length", "11"),
        Headers.of("Server", "BaseHTTP/0.6 Python/3.12.1", "Date", "Mon, 01 Jan 2024 00:00:01 GMT",
            "Content-Type", "application/json", "Transfer-Encoding", "chunked", "Connection", "close"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void headersNamedInConnection_areIgnored() {
    Comparison c = compare(
        Headers.of("Connection", "keep-alive, X-Hop", "X-Hop", "old", "X-Other", "1"),
        Headers.of("Connection", "X-HOP, close", "x-hop", "new", "X-Other", "1"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void headerNamedInConnection_onBothSides_absentOnOne_isIgnored() {
    Comparison c = compare(Headers.of("Connection", "X-Hop", "X-Hop", "old"), Headers.of("Connection", "x-hop"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void connectionNamingAnEndToEndHeader_doesNotHideOtherHeaders() {
    Comparison c = compare(Headers.of("Connection", "X-Hop", "X-Hop", "a", "X-Kept", "1"),
        Headers.of("Connection", "X-Hop", "X-Hop", "b", "X-Kept", "2"));
    assertThat(summary(c)).containsExactly("header:x-kept value x-kept");
  }

  // ---------------------------------------------------------------- Vary

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "Accept-Encoding                | NONE",
      "NONE                           | accept-encoding",
      "Accept-Encoding, Cookie        | Cookie",
      "Cookie, Accept-Encoding        | cookie",
      "Accept-Encoding,Origin,Cookie  | Cookie, Origin",
      "Origin, Cookie                 | cookie, origin",
      "ACCEPT-ENCODING                | Accept-Encoding",
  })
  void vary_ignoresAcceptEncoding_andTokenOrderAndCase(String oldVary, String newVary) {
    assertThat(summary(compareOne("Vary", oldVary, newVary))).isEmpty();
  }

  @Test
  void vary_withRealDifference_differs() {
    Comparison c = compareOne("Vary", "Accept-Encoding, Cookie", "Accept-Encoding");
    assertThat(summary(c)).containsExactly("header:vary missing vary");
    Comparison c2 = compareOne("Vary", "Cookie", "Origin");
    assertThat(summary(c2)).containsExactly("header:vary value vary");
  }

  @Test
  void vary_onSeparateHeaderLines_equalsOneLine() {
    Comparison c = compare(Headers.of("Vary", "Cookie", "Vary", "Accept-Encoding", "Vary", "Origin"),
        Headers.of("Vary", "Origin, Cookie"));
    assertThat(summary(c)).isEmpty();
  }

  // ---------------------------------------------------------------- Content-Type

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "application/json                         | application/json; charset=utf-8",
      "application/json                         | application/json; charset=UTF8",
      "application/json                         | application/json;charset=UTF-8",
      "application/json                         | Application/JSON; Charset=\"utf-8\"",
      "application/problem+json                 | application/problem+json; charset=utf-8",
      "text/html; charset=utf-8                 | text/html; charset=UTF-8",
      "text/html; charset=utf-8                 | text/html;charset=\"utf-8\"",
      "text/plain; charset=utf-8; format=flowed | text/plain; format=flowed; charset=utf-8",
  })
  void contentType_equivalentSpellings_areEqual(String oldType, String newType) {
    assertThat(summary(compareOne("Content-Type", oldType, newType))).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "text/html; charset=utf-8       | text/html; charset=iso-8859-1",
      "application/json               | text/html; charset=utf-8",
      "application/json               | application/json; charset=utf-16",
      "application/json               | text/json",
      "text/plain                     | text/html",
      "application/json               | application/json; charset=latin1",
      "text/html                      | text/html; charset=utf-8",
  })
  void contentType_realDifference_differs(String oldType, String newType) {
    List<String> headerDiffs = summary(compareOne("Content-Type", oldType, newType)).stream()
        .filter(s -> s.startsWith("header:")).toList();
    assertThat(headerDiffs).containsExactly("header:content-type value content-type");
  }

  @Test
  void contentType_unparseableValues_stillCompared() {
    // Neither value is a type/subtype; they are still different headers.
    assertThat(summary(compareOne("Content-Type", "json", "html"))).containsExactly("header:content-type value content-type");
  }

  @Test
  void contentType_missingOnOneSide_isMissingOrExtra() {
    assertThat(summary(compareOne("Content-Type", "application/json", null))).containsExactly("header:content-type missing content-type");
    assertThat(summary(compareOne("Content-Type", null, "application/json"))).containsExactly("header:content-type extra content-type");
  }

  // ---------------------------------------------------------------- Cache-Control

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "no-cache, no-store, must-revalidate | must-revalidate, no-store, no-cache",
      "private, max-age=0                  | max-age=0,private",
      "Private, Max-Age=60                 | max-age=60, private",
      "max-age = 60, public                | public, max-age=60",
  })
  void cacheControl_tokenOrderAndCase_areIgnored(String oldValue, String newValue) {
    assertThat(summary(compareOne("Cache-Control", oldValue, newValue))).isEmpty();
  }

  @Test
  void cacheControl_directiveDifference_differs() {
    assertThat(summary(compareOne("Cache-Control", "no-cache", "no-cache, no-store")))
        .containsExactly("header:cache-control value cache-control");
  }

  @Test
  void allow_tokenOrderIgnored_butCaseKept() {
    assertThat(summary(compareOne("Allow", "GET, HEAD, POST", "POST, GET, HEAD"))).isEmpty();
  }

  // ---------------------------------------------------------------- Set-Cookie

  /** A value of only semicolons once split into no parts and threw (the same bug BodyDecoderFuzzTest found in MediaType). */
  @Test
  void setCookie_onlySemicolons_isCompared_notAnException() {
    assertThat(summary(compareOne("Set-Cookie", ";;;", ";;;"))).isEmpty();
    // cookies pair up by name: the nameless one is missing in NEW, session is extra
    assertThat(summary(compareOne("Set-Cookie", ";", "session=a; Path=/")))
        .containsExactly("header:set-cookie missing ", "header:set-cookie extra session");
    assertThat(summary(compareOne("Content-Type", ";;;;", "application/json"))).hasSize(1);
  }

  @Test
  void setCookie_valueDifference_isIgnored() {
    Comparison c = compareOne("Set-Cookie", "session=abc123; Path=/; HttpOnly", "session=zzz999; Path=/; HttpOnly");
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void setCookie_attributeOrderAndNameCase_areIgnored() {
    Comparison c = compareOne("Set-Cookie", "session=a; Path=/; HttpOnly; Secure; SameSite=Lax",
        "session=b; secure; httponly; samesite=lax; path=/");
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void setCookie_domainLeadingDot_andCase_areIgnored() {
    assertThat(summary(compareOne("Set-Cookie", "s=1; Domain=.Example.com", "s=2; domain=example.com"))).isEmpty();
  }

  @Test
  void setCookie_attributeDifference_isReportedByCookieName() {
    Comparison c = compareOne("Set-Cookie", "session=abc; Path=/; HttpOnly", "session=abc; Path=/");
    assertThat(summary(c)).containsExactly("header:set-cookie value session");
    Difference d = c.differences().get(0);
    assertThat(d.oldValue()).contains("httponly").doesNotContain("abc");
    assertThat(d.newValue()).doesNotContain("httponly").doesNotContain("abc");
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "sid=1; Path=/            | sid=1; Path=/api",
      "sid=1; Max-Age=3600      | sid=1; Max-Age=60",
      "sid=1; SameSite=Lax      | sid=1; SameSite=Strict",
      "sid=1; Secure            | sid=1",
      "sid=1                    | sid=1; Domain=example.com",
  })
  void setCookie_attributeDifferences_areReported(String oldCookie, String newCookie) {
    assertThat(summary(compareOne("Set-Cookie", oldCookie, newCookie))).containsExactly("header:set-cookie value sid");
  }

  @Test
  void setCookie_expiresDate_isIgnored_butPresenceCompared() {
    assertThat(summary(compareOne("Set-Cookie", "sid=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/",
        "sid=2; expires=Thu, 01 Jan 2099 00:00:00 GMT; Path=/"))).isEmpty();
    assertThat(summary(compareOne("Set-Cookie", "sid=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/", "sid=1; Path=/")))
        .containsExactly("header:set-cookie value sid");
  }

  @Test
  void setCookie_missingAndExtraCookies_areReportedByName() {
    Comparison c = compare(Headers.of("Set-Cookie", "a=1; Path=/", "Set-Cookie", "b=2; Path=/"),
        Headers.of("Set-Cookie", "a=9; Path=/", "Set-Cookie", "c=3; Path=/"));
    assertThat(summary(c)).containsExactlyInAnyOrder("header:set-cookie missing b", "header:set-cookie extra c");
  }

  @Test
  void setCookie_absentOnOneSide_isMissing() {
    Comparison c = compareOne("Set-Cookie", "sid=1; Path=/", null);
    assertThat(summary(c)).containsExactly("header:set-cookie missing sid");
  }

  @Test
  void setCookie_cookieOrder_isIgnored() {
    Comparison c = compare(Headers.of("Set-Cookie", "a=1", "Set-Cookie", "b=2"), Headers.of("Set-Cookie", "b=3", "set-cookie", "a=4"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void setCookie_ignoredByRule_isNotCompared() {
    Rules rules = Rules.builder().ignoreHeaders(List.of("Set-Cookie")).build();
    assertThat(summary(compareOne("Set-Cookie", "sid=1; Path=/", "sid=1; Path=/x", rules))).isEmpty();
    assertThat(summary(compareOne("Set-Cookie", "sid=1", null, rules))).isEmpty();
  }

  // ---------------------------------------------------------------- extra and missing

  @Test
  void extraAndMissingHeaders_areReported_withLowerCaseField() {
    Comparison c = compare(Headers.of("Content-Type", "application/json", "X-Old-Only", "1"),
        Headers.of("Content-Type", "application/json", "X-New-Only", "2"));
    assertThat(summary(c)).containsExactlyInAnyOrder("header:x-old-only missing x-old-only", "header:x-new-only extra x-new-only");
    Difference missing = c.differences().stream().filter(d -> d.kind() == DiffKind.MISSING).findFirst().orElseThrow();
    assertThat(missing.oldValue()).isEqualTo("1");
    assertThat(missing.newValue()).isNull();
    Difference extra = c.differences().stream().filter(d -> d.kind() == DiffKind.EXTRA).findFirst().orElseThrow();
    assertThat(extra.oldValue()).isNull();
    assertThat(extra.newValue()).isEqualTo("2");
  }

  @Test
  void headerDifferences_doNotHideBodyOrStatus() {
    Comparison c = COMPARATOR.compare(
        new RecordedResponse(200, Headers.of("Content-Type", "application/json", "X-A", "1"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
        new RecordedResponse(201, Headers.of("Content-Type", "application/json", "X-A", "2"), "{\"a\":2}".getBytes(StandardCharsets.UTF_8)),
        Rules.defaults());
    assertThat(c.fields()).containsExactlyInAnyOrder("status", "header:x-a", "/a");
  }

  // ---------------------------------------------------------------- rules

  @Test
  void compareHeaders_makesDefaultIgnoredHeaderCount() {
    Rules rules = Rules.builder().compareHeaders(List.of("Server")).build();
    assertThat(summary(compareOne("Server", "BaseHTTP/0.3", "BaseHTTP/0.6", rules))).containsExactly("header:server value server");
    assertThat(summary(compareOne("Server", "BaseHTTP/0.3", null, rules))).containsExactly("header:server missing server");
    assertThat(summary(compareOne("server", "BaseHTTP/0.3", "BaseHTTP/0.6"))).as("ignored without the rule").isEmpty();
  }

  @Test
  void compareHeaders_otherDefaultsStayIgnored() {
    Rules rules = Rules.builder().compareHeaders(List.of("x-request-id")).build();
    assertThat(summary(compareOne("Date", "a", "b", rules))).isEmpty();
    assertThat(summary(compareOne("Server", "a", "b", rules))).isEmpty();
  }

  @Test
  void ignoreHeaders_hidesNamedHeader_anyCase() {
    Rules rules = Rules.builder().ignoreHeaders(List.of("X-Backend")).build();
    assertThat(summary(compareOne("x-backend", "py2", "py3", rules))).isEmpty();
    assertThat(summary(compareOne("X-BACKEND", "py2", null, rules))).isEmpty();
    assertThat(summary(compareOne("X-Other", "a", "b", rules))).containsExactly("header:x-other value x-other");
  }

  @Test
  void ignoreHeaders_canIgnoreContentType() {
    Rules rules = Rules.builder().ignoreHeaders(List.of("content-type")).build();
    assertThat(summary(compareOne("Content-Type", "application/json", "text/html", rules))).isEmpty();
  }

  @Test
  void compareHeaders_winsOverIgnoreHeaders() {
    Rules rules = Rules.builder().ignoreHeaders(List.of("x-a")).compareHeaders(List.of("X-A")).build();
    assertThat(summary(compareOne("X-A", "1", "2", rules))).containsExactly("header:x-a value x-a");
  }

  @Test
  void rulesCombinedWithPlus_keepBothHeaderLists() {
    Rules global = Rules.builder().ignoreHeaders(List.of("x-debug")).build();
    Rules endpoint = Rules.builder().compareHeaders(List.of("etag")).build();
    Rules both = global.plus(endpoint);
    assertThat(summary(compareOne("X-Debug", "1", "2", both))).isEmpty();
    assertThat(summary(compareOne("ETag", "1", "2", both))).containsExactly("header:etag value etag");
  }

  @Test
  void identicalHeaders_withDifferentOrder_areEqual() {
    Comparison c = compare(Headers.of("X-A", "1", "X-B", "2", "Content-Type", "application/json"),
        Headers.of("Content-Type", "application/json", "X-B", "2", "X-A", "1"));
    assertThat(summary(c)).isEmpty();
  }

  @Test
  void sameResponse_matches() {
    RecordedResponse r = response("Content-Type", "application/json", "Set-Cookie", "a=1; Path=/", "Vary", "Cookie");
    assertThat(COMPARATOR.compare(r, r, Rules.defaults()).match()).isTrue();
  }
}
