package dev.shadowparity.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawHttpTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String body(RecordedResponse r) {
    return new String(r.body(), StandardCharsets.ISO_8859_1);
  }

  private static RecordedResponse parse(String raw) throws HttpParseException {
    return RawHttp.parseResponse(bytes(raw));
  }

  private static HttpParseException parseError(String raw) {
    return catchThrowableOfType(HttpParseException.class, () -> RawHttp.parseResponse(bytes(raw)));
  }

  // ---------------------------------------------------------------- line ends

  @Test
  void crlfResponse_parsesStatusHeadersAndBody() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().get("content-type")).isEqualTo("application/json");
    assertThat(r.headers().get("Content-Length")).isEqualTo("7");
    assertThat(body(r)).isEqualTo("{\"a\":1}");
    assertThat(r.latencyNanos()).isZero();
  }

  @Test
  void bareLfResponse_parsesLikeCrlf() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 404 Not Found\nContent-Type: text/plain\nX-A: 1\n\nnope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.headers().get("content-type")).isEqualTo("text/plain");
    assertThat(r.headers().get("x-a")).isEqualTo("1");
    assertThat(body(r)).isEqualTo("nope");
  }

  @Test
  void mixedLineEnds_parse() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\n\nbody");
    assertThat(r.headers().get("x-a")).isEqualTo("1");
    assertThat(r.headers().get("x-b")).isEqualTo("2");
    assertThat(body(r)).isEqualTo("body");
  }

  @Test
  void bodyBytes_arePreservedExactly_includingLineEndsAndHighBytes() throws Exception {
    byte[] raw = bytes("HTTP/1.1 200 OK\r\n\r\na\r\nb\nc\r\n\u00ff\u0000");
    RecordedResponse r = RawHttp.parseResponse(raw);
    assertThat(r.body()).containsExactly(bytes("a\r\nb\nc\r\n\u00ff\u0000"));
  }

  @Test
  void statusLineWithoutReason_andHttp10_parse() throws Exception {
    assertThat(parse("HTTP/1.1 204\r\n\r\n").status()).isEqualTo(204);
    assertThat(parse("HTTP/1.0 200 OK\r\n\r\nx").status()).isEqualTo(200);
    assertThat(parse("HTTP/1.1 500 Internal Server Error\r\n\r\n").status()).isEqualTo(500);
  }

  @Test
  void headerValues_areTrimmed_colonsInValuesKept_andRepeatsKeptInOrder() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 302 Found\r\nLocation:   http://x:80/y?a=b  \r\n"
        + "Set-Cookie: a=1\r\nset-cookie: b=2\r\nX-Empty:\r\n\r\n");
    assertThat(r.headers().get("location")).isEqualTo("http://x:80/y?a=b");
    assertThat(r.headers().getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(r.headers().get("x-empty")).isEmpty();
    assertThat(r.body()).isEmpty();
  }

  // ---------------------------------------------------------------- interim responses

  @Test
  void continue100_beforeRealResponse_isSkipped() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nX-A: 1\r\n\r\ncreated");
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.headers().get("x-a")).isEqualTo("1");
    assertThat(body(r)).isEqualTo("created");
  }

  @Test
  void severalInterimResponses_withHeaders_areSkipped_andTheirHeadersDropped() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 100 Continue\n\nHTTP/1.1 103 Early Hints\nLink: </a.css>; rel=preload\n\n"
        + "HTTP/1.1 200 OK\nX-B: 2\n\nok");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().contains("link")).isFalse();
    assertThat(r.headers().get("x-b")).isEqualTo("2");
    assertThat(body(r)).isEqualTo("ok");
  }

  @Test
  void switchingProtocols101_isNotSkipped() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
    assertThat(r.status()).isEqualTo(101);
    assertThat(r.headers().get("upgrade")).isEqualTo("websocket");
  }

  @Test
  void lone100_withNothingAfter_isTheResponse() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 100 Continue\r\n\r\n");
    assertThat(r.status()).isEqualTo(100);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void badStatusLine_afterContinue_namesOffsetOfSecondMessage() {
    String first = "HTTP/1.1 100 Continue\r\n\r\n";
    HttpParseException e = parseError(first + "garbage here\r\n\r\n");
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(first.length());
    assertThat(e.getMessage()).contains("not an HTTP status line").contains("garbage here")
        .contains("(at byte " + first.length() + ")");
  }

  // ---------------------------------------------------------------- chunked

  @Test
  void chunkedBody_isDechunked() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n");
    assertThat(body(r)).isEqualTo("Wikipedia");
    assertThat(r.headers().get("transfer-encoding")).isEqualTo("chunked");
  }

  @Test
  void chunkedBody_withExtensions_isDechunked() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;name=value\r\nWiki\r\n5 ; foo=\"bar;baz\"\r\npedia\r\n0;last\r\n\r\n");
    assertThat(body(r)).isEqualTo("Wikipedia");
  }

  @Test
  void chunkedBody_upperCaseHexLeadingZerosAndLineEndsInData() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n"
        + "000B\r\n0123\r\n4567\n\r\n0\r\n\r\n");
    assertThat(body(r)).isEqualTo("0123\r\n4567\n");
  }

  @Test
  void chunkedBody_withBareLf_isDechunked() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n2\nde\n0\n\n");
    assertThat(body(r)).isEqualTo("abcde");
  }

  @Test
  void chunkedBody_withTrailers_ignoresTrailers() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n");
    assertThat(body(r)).isEqualTo("abc");
  }

  @Test
  void chunkedBody_withGzipTransferCodingListed_isStillDechunked() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n");
    assertThat(body(r)).isEqualTo("ab");
  }

  @Test
  void emptyChunkedBody_givesEmptyBody() throws Exception {
    assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").body()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] size line ''{0}''")
  @ValueSource(strings = {"zz", "", "0x5", "ffffffffff", "5 5", "-5"})
  void badChunkSize_failsWithOffsetOfTheSizeLine(String sizeLine) {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    HttpParseException e = parseError(head + sizeLine + "\r\nhello\r\n0\r\n\r\n");
    assertThat(e).as("parse error for size line '%s'", sizeLine).isNotNull();
    assertThat(e.offset()).isEqualTo(head.length());
    assertThat(e.getMessage()).contains("(at byte " + head.length() + ")");
  }

  @Test
  void badChunkSize_messageQuotesTheSize() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    HttpParseException e = parseError(head + "zz\r\nhello\r\n0\r\n\r\n");
    assertThat(e.getMessage()).contains("bad chunk size 'zz'");
  }

  @Test
  void hugeChunkSize_isAParseError_notARuntimeException() {
    // 0x7fffffff + the body offset overflows int; the bounds check must still catch it.
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    assertThatThrownBy(() -> parse(head + "7fffffff\r\nabc\r\n0\r\n\r\n"))
        .isInstanceOf(HttpParseException.class)
        .hasMessageContaining("runs past the end");
  }

  @Test
  void truncatedChunkData_failsWithPositionedMessage() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    HttpParseException e = parseError(head + "a\r\nhel");
    assertThat(e).isNotNull();
    int dataStart = head.length() + "a\r\n".length();
    assertThat(e.offset()).isEqualTo(dataStart);
    assertThat(e.getMessage()).contains("chunk of 10 bytes runs past the end of the data")
        .contains("(at byte " + dataStart + ")");
  }

  @Test
  void chunkedBodyWithoutFinalChunk_failsWithPositionedMessage() {
    String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    HttpParseException e = parseError(raw);
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(raw.length());
    assertThat(e.getMessage()).contains("without the final 0-size chunk").contains("(at byte " + raw.length() + ")");
  }

  @Test
  void chunkDataNotFollowedByLineEnd_failsWithPositionedMessage() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    String raw = head + "5\r\nhelloXX\r\n0\r\n\r\n";
    HttpParseException e = parseError(raw);
    assertThat(e).isNotNull();
    int afterData = head.length() + "5\r\nhello".length();
    assertThat(e.offset()).isEqualTo(afterData);
    assertThat(e.getMessage()).contains("not followed by a line end");
  }

  @Test
  void chunkDataEndingExactlyAtEndOfInput_failsWithPositionedMessage() {
    String raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello";
    HttpParseException e = parseError(raw);
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(raw.length());
  }

  // ---------------------------------------------------------------- headers without body

  @Test
  void headersOnly_withEmptyLine_giveEmptyBody() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n");
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.headers().get("etag")).isEqualTo("\"x\"");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void headersOnly_withoutFinalEmptyLine_giveEmptyBody() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 204 No Content\r\nX-A: 1\r\n");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers().get("x-a")).isEqualTo("1");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void statusLineOnly_withLineEnd_givesEmptyResponse() throws Exception {
    RecordedResponse r = parse("HTTP/1.1 204 No Content\n");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers().isEmpty()).isTrue();
    assertThat(r.body()).isEmpty();
  }

  // ---------------------------------------------------------------- bad input

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "FOO/1.1 200 OK\r\n\r\n",
      "<html><body>hi</body></html>\r\n",
      "200 OK\r\n\r\n",
      "HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
  })
  void notAStatusLine_failsAtByteZero(String raw) {
    HttpParseException e = parseError(raw);
    assertThat(e).isNotNull();
    assertThat(e.offset()).isZero();
    assertThat(e.getMessage()).contains("(at byte 0)");
  }

  @Test
  void nonNumericStatus_saysSo() {
    HttpParseException e = parseError("HTTP/1.1 OK 200\r\n\r\n");
    assertThat(e.getMessage()).contains("status 'OK' is not a number");
    assertThat(e.offset()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "1000", "0", "-200"})
  void statusOutOfRange_isAParseError(String status) {
    HttpParseException e = parseError("HTTP/1.1 " + status + " X\r\n\r\n");
    assertThat(e).isNotNull();
    assertThat(e.offset()).isZero();
  }

  @Test
  void emptyInput_saysNoStartLine() {
    HttpParseException e = parseError("");
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("no complete start line").contains("(at byte 0)");
  }

  @Test
  void headerLineWithoutColon_failsAtThatLine() {
    String before = "HTTP/1.1 200 OK\r\nX-A: 1\r\n";
    HttpParseException e = parseError(before + "this is not a header\r\n\r\nbody");
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(before.length());
    assertThat(e.getMessage()).contains("this is not a header").contains("(at byte " + before.length() + ")");
  }

  @Test
  void headerLineStartingWithColon_isAParseError() {
    String before = "HTTP/1.1 200 OK\r\n";
    HttpParseException e = parseError(before + ": value\r\n\r\n");
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(before.length());
  }

  @Test
  void unterminatedLastHeaderLine_isAParseError() {
    String before = "HTTP/1.1 200 OK\r\n";
    HttpParseException e = parseError(before + "X-A: 1");
    assertThat(e).isNotNull();
    assertThat(e.offset()).isEqualTo(before.length());
  }

  // ---------------------------------------------------------------- looksLikeResponse

  @Test
  void looksLikeResponse_recognizesStatusLines() {
    assertThat(RawHttp.looksLikeResponse(bytes("HTTP/1.1 200 OK\r\n"))).isTrue();
    assertThat(RawHttp.looksLikeResponse(bytes("HTTP/1.0 200 OK\r\n"))).isTrue();
    assertThat(RawHttp.looksLikeResponse(bytes("HTTP/2 200\r\n"))).isTrue();
    assertThat(RawHttp.looksLikeResponse(bytes("GET / HTTP/1.1\r\n"))).isFalse();
    assertThat(RawHttp.looksLikeResponse(bytes("HTTP"))).isFalse();
    assertThat(RawHttp.looksLikeResponse(new byte[0])).isFalse();
  }

  // ---------------------------------------------------------------- requests

  @Test
  void request_parsesMethodUriHeaders_andHasNoBody() throws Exception {
    RecordedRequest r = RawHttp.parseRequest(bytes("GET /api/users/42?x=1 HTTP/1.1\r\nHost: old.internal\r\nAccept: */*\r\n\r\n"));
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.uri()).isEqualTo("/api/users/42?x=1");
    assertThat(r.path()).isEqualTo("/api/users/42");
    assertThat(r.headers().get("host")).isEqualTo("old.internal");
    assertThat(r.headers().get("accept")).isEqualTo("*/*");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void request_withBody_andBareLf() throws Exception {
    RecordedRequest r = RawHttp.parseRequest(bytes("POST /api/orders HTTP/1.1\nContent-Type: application/json\n\n{\"qty\":2}\n"));
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri()).isEqualTo("/api/orders");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"qty\":2}\n");
  }

  @Test
  void request_withChunkedBody_isDechunked() throws Exception {
    RecordedRequest r = RawHttp.parseRequest(bytes("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\n\r\n"));
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("abc");
  }

  @Test
  void request_lowerCaseMethod_isUpperCased() throws Exception {
    assertThat(RawHttp.parseRequest(bytes("get / HTTP/1.1\r\n\r\n")).method()).isEqualTo("GET");
  }

  @Test
  void request_absoluteFormTarget_isKept() throws Exception {
    RecordedRequest r = RawHttp.parseRequest(bytes("GET http://old:8000/a?b=1 HTTP/1.1\r\n\r\n"));
    assertThat(r.uri()).isEqualTo("http://old:8000/a?b=1");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "GET /x\r\n\r\n",
      "GET /a b HTTP/1.1\r\n\r\n",
      "GET /x FTP/1.0\r\n\r\n",
      "HTTP/1.1 200 OK\r\n\r\n",
      "\r\n\r\n",
  })
  void badRequestLine_isAParseErrorAtByteZero(String raw) {
    HttpParseException e = catchThrowableOfType(HttpParseException.class, () -> RawHttp.parseRequest(bytes(raw)));
    assertThat(e).isNotNull();
    assertThat(e.offset()).isZero();
  }

  @Test
  void request_truncatedChunkedBody_isAParseError() {
    assertThatThrownBy(() -> RawHttp.parseRequest(bytes("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc")))
        .isInstanceOf(HttpParseException.class)
        .hasMessageContaining("runs past the end");
  }

  /** Found by fuzzing (RawHttpFuzzTest): a header name of white space only made Headers throw IllegalArgumentException. */
  @Test
  void headerNameOfWhiteSpaceOnly_isAParseError() {
    assertThat(parseError("HTTP/1.1 200 OK\r\n : value\r\n\r\n")).hasMessageContaining("without a name");
    assertThatThrownBy(() -> RawHttp.parseRequest(bytes("GET / HTTP/1.1\n\t: v\n\n")))
        .isInstanceOf(HttpParseException.class).hasMessageContaining("without a name");
  }

  /** Found by fuzzing: the message quoted a status of any length (it ends up in reports and logs). */
  @Test
  void longStatus_isQuotedShortened() {
    assertThat(parseError("HTTP/1.1 " + "9".repeat(5000) + " OK\r\n\r\n").getMessage()).hasSizeLessThan(200);
  }
}
