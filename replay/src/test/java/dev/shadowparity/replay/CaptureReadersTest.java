package dev.shadowparity.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three readers on the committed fixtures, and on corrupt and truncated copies of them. */
class CaptureReadersTest {

  static final Path FIXTURES = Path.of(System.getProperty("parity.fixtures", "../fixtures"));
  static final Path HAR = FIXTURES.resolve("captures/har/shop.har");
  static final Path GOR = FIXTURES.resolve("captures/gor/shop.gor");

  @TempDir
  Path tmp;

  static List<CaptureItem> readAll(Path file) throws IOException {
    List<CaptureItem> items = new ArrayList<>();
    try (CaptureReader r = CaptureFiles.open(file, null)) {
      for (CaptureItem i; (i = r.next()) != null; ) {
        items.add(i);
      }
    }
    return items;
  }

  static List<String> requestLines(List<CaptureItem> items) {
    return items.stream().filter(i -> i instanceof CaptureItem.Captured).map(i -> (CaptureItem.Captured) i)
        .map(c -> c.request().method() + " " + c.request().uri()).toList();
  }

  static List<CaptureItem.Corrupt> corrupt(List<CaptureItem> items) {
    return items.stream().filter(i -> i instanceof CaptureItem.Corrupt).map(i -> (CaptureItem.Corrupt) i).toList();
  }

  @Test
  void har_fromChromium_allEntriesInOrder_withRecordedResponses() throws IOException {
    List<CaptureItem> items = readAll(HAR);
    assertThat(requestLines(items)).containsExactly("GET /", "GET /static/logo.png", "GET /api/users/1",
        "GET /api/users/2", "GET /api/users/3", "GET /api/products?q=caf%C3%A9&page=2", "GET /api/orders/1001",
        "POST /api/cart", "GET /api/report.csv", "GET /api/health", "GET /api/missing");
    List<CaptureItem.Captured> c = items.stream().map(i -> (CaptureItem.Captured) i).toList();
    // base64 body of the PNG decoded to the real bytes
    assertThat(c.get(1).recordedOld().body()).startsWith(0x89, 'P', 'N', 'G').hasSize(81);
    // the gzip'd order: text as recorded, Content-Encoding dropped since the text is already decoded
    assertThat(new String(c.get(6).recordedOld().body(), StandardCharsets.UTF_8)).startsWith("{\"id\": 1001");
    assertThat(c.get(6).recordedOld().headers().get("Content-Encoding")).isNull();
    // the POST body from postData.text; connection headers dropped, the rest kept
    assertThat(new String(c.get(7).request().body(), StandardCharsets.UTF_8)).isEqualTo("{\"sku\":\"SKU-1\",\"qty\":2}");
    assertThat(c.get(7).request().headers().get("Content-Length")).isNull();
    assertThat(c.get(7).request().headers().get("Connection")).isNull();
    assertThat(c.get(7).request().headers().get("X-Client")).isEqualTo("har-demo");
    assertThat(c.get(9).recordedOld().status()).isEqualTo(204);
    assertThat(c.get(9).recordedOld().body()).isEmpty();
    assertThat(new String(c.get(2).recordedOld().body(), StandardCharsets.UTF_8)).contains("Zoë Ünal");
    assertThat(c.get(0).epochMillis()).isPositive();
  }

  @Test
  void har_truncated_givesWhatWasRead_andThePosition() throws IOException {
    byte[] all = Files.readAllBytes(HAR);
    Path cut = tmp.resolve("cut.har");
    Files.write(cut, Arrays.copyOf(all, all.length / 2));
    List<CaptureItem> items = readAll(cut);
    assertThat(requestLines(items)).isNotEmpty().hasSizeLessThan(11)
        .isEqualTo(requestLines(readAll(HAR)).subList(0, requestLines(items).size()));
    assertThat(corrupt(items)).hasSize(1);
    assertThat(corrupt(items).get(0).position()).matches("line 1, column \\d+");
    assertThat(corrupt(items).get(0).problem()).contains("not valid JSON");
  }

  @Test
  void har_badEntry_isSkippedWithItsNumber_andTheRestIsRead() throws IOException {
    String har = Files.readString(HAR).replaceFirst("\"method\":\"GET\",\"url\":\"http://127\\.0\\.0\\.1:(\\d+)/api/users/2\"",
        "\"method\":\"GET\",\"url\":17");
    Path bad = tmp.resolve("bad.har");
    Files.writeString(bad, har);
    List<CaptureItem> items = readAll(bad);
    assertThat(requestLines(items)).hasSize(10).doesNotContain("GET /api/users/2");
    assertThat(corrupt(items)).singleElement().satisfies(c -> {
      assertThat(c.position()).startsWith("entry 4 (line 1, column ");
      assertThat(c.problem()).isEqualTo("request.url must be a non-empty string");
    });
  }

  @Test
  void gor_pairsRequestsWithResponsesById_inRequestOrder() throws IOException {
    List<CaptureItem> items = readAll(GOR);
    assertThat(corrupt(items)).isEmpty();
    assertThat(requestLines(items)).containsExactly("GET /api/users/1", "GET /api/users/2", "GET /api/users/3",
        "GET /api/products?q=caf%C3%A9&page=2", "GET /api/orders/1001", "POST /api/cart", "GET /api/report.csv",
        "GET /api/health", "GET /api/missing");
    List<CaptureItem.Captured> c = items.stream().map(i -> (CaptureItem.Captured) i).toList();
    // users/2's response came before its request (40-hex id)
    assertThat(new String(c.get(1).recordedOld().body(), StandardCharsets.UTF_8)).contains("José Muñoz");
    // the type-3 (replayed) 500 is not taken for OLD's answer
    assertThat(c.get(2).recordedOld().status()).isEqualTo(200);
    // chunked framing undone
    assertThat(new String(c.get(6).recordedOld().body(), StandardCharsets.UTF_8)).startsWith("id,name,city\r\n")
        .endsWith("Malmö\r\n");
    assertThat(c.get(4).recordedOld().headers().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(new String(c.get(5).request().body(), StandardCharsets.UTF_8)).isEqualTo("{\"sku\": \"SKU-1\", \"qty\": 2}");
    assertThat(c.get(8).recordedOld()).as("never captured").isNull();
    assertThat(c.get(1).epochMillis() - c.get(0).epochMillis()).isEqualTo(40);
    assertThat(c.get(0).recordedOld().latencyNanos()).isEqualTo(2_000_000);
  }

  @Test
  void gor_corruptPayloads_reportedWithByteOffsets_restRead() throws IOException {
    String sep = "\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n";
    String good = new String(Files.readAllBytes(GOR), StandardCharsets.ISO_8859_1);
    byte[] sepBytes = sep.getBytes(StandardCharsets.UTF_8);
    String sepLatin = new String(sepBytes, StandardCharsets.ISO_8859_1);
    String[] payloads = good.split(java.util.regex.Pattern.quote(sepLatin));
    payloads[0] = "9 zz 1 0\nGET / HTTP/1.1\r\n\r\n";                // bad header line (users/1's request)
    payloads[3] = payloads[3].replace("HTTP/1.1\r\nHost", "\r\nHost"); // users/2's request: not a request line
    String bad = String.join(sepLatin, payloads) + sepLatin;
    Path file = tmp.resolve("bad.gor");
    Files.write(file, bad.getBytes(StandardCharsets.ISO_8859_1));
    List<CaptureItem> items = readAll(file);
    assertThat(corrupt(items)).hasSize(2);
    assertThat(corrupt(items).get(0).position()).isEqualTo("byte 0 (payload 1)");
    assertThat(corrupt(items).get(0).problem()).contains("header line '9 zz 1 0'");
    assertThat(corrupt(items).get(1).position()).matches("byte \\d+ \\(payload 4\\)");
    assertThat(corrupt(items).get(1).problem()).contains("not an HTTP request line");
    assertThat(requestLines(items)).containsExactly("GET /api/users/3", "GET /api/products?q=caf%C3%A9&page=2",
        "GET /api/orders/1001", "POST /api/cart", "GET /api/report.csv", "GET /api/health", "GET /api/missing");
  }

  @Test
  void gor_truncatedMidMessage_keepsEarlierRecords() throws IOException {
    byte[] all = Files.readAllBytes(GOR);
    Path cut = tmp.resolve("cut.gor");
    Files.write(cut, Arrays.copyOf(all, all.length - 40)); // inside the last request's headers
    List<CaptureItem> items = readAll(cut);
    assertThat(requestLines(items)).hasSize(8).contains("GET /api/health");
    assertThat(corrupt(items)).singleElement().satisfies(c -> assertThat(c.problem()).contains("raw HTTP"));
  }

  @Test
  void ndjson_corruptLines_reportedByLineNumber_restRead() throws IOException {
    Path f = tmp.resolve("capture.ndjson");
    Files.writeString(f, String.join("\n",
        "{\"ts\":\"2026-11-21T11:35:04.123Z\",\"request\":{\"method\":\"GET\",\"uri\":\"/a/1\",\"headers\":[[\"Accept\",\"*/*\"]]},"
            + "\"old\":{\"status\":200,\"headers\":[[\"Content-Type\",\"application/json\"]],\"body\":\"{}\",\"latencyMs\":4.5}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/a/2\"",
        "",
        "[1,2]",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/a/3\"},\"old\":{\"status\":\"ok\"}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/a/4\"},\"old\":{\"error\":\"timeout\",\"message\":\"10 s\"},"
            + "\"new\":{\"status\":200,\"bodyBase64\":\"AAEC\"}}",
        "{\"request\":{\"uri\":\"/a/5\"}}",
        "{\"request\":{\"method\":\"POST\",\"uri\":\"/a/6\",\"bodyBase64\":\"AAEC\"}}") + "\n");
    List<CaptureItem> items = readAll(f);
    assertThat(requestLines(items)).containsExactly("GET /a/1", "GET /a/4", "POST /a/6");
    assertThat(corrupt(items)).extracting(CaptureItem.Corrupt::position).containsExactly("line 2", "line 4", "line 5",
        "line 7");
    assertThat(corrupt(items).get(0).problem()).startsWith("not JSON");
    assertThat(corrupt(items).get(1).problem()).isEqualTo("not a JSON object");
    assertThat(corrupt(items).get(2).problem()).startsWith("old.status must be an HTTP status");
    assertThat(corrupt(items).get(3).problem()).isEqualTo("request.method is missing");
    List<CaptureItem.Captured> ok = items.stream().filter(i -> i instanceof CaptureItem.Captured)
        .map(i -> (CaptureItem.Captured) i).toList();
    CaptureItem.Captured first = ok.get(0);
    assertThat(first.recordedOld().latencyNanos()).isEqualTo(4_500_000);
    assertThat(first.epochMillis()).isEqualTo(java.time.Instant.parse("2026-11-21T11:35:04.123Z").toEpochMilli());
    CaptureItem.Captured timedOut = ok.get(1);
    assertThat(timedOut.recordedOld()).as("OLD failed: no response to compare with").isNull();
    assertThat(ok.get(2).request().body()).containsExactly(0, 1, 2);
  }

  @Test
  void ndjson_aBodyTheTapLeftOut_isNotRecorded_statusAndHeadersStillAre() throws IOException {
    Path f = tmp.resolve("omitted.ndjson");
    Files.writeString(f, "{\"request\":{\"method\":\"GET\",\"uri\":\"/a/1\"},\"old\":{\"status\":200,\"headers\":"
        + "[[\"Content-Encoding\",\"gzip\"]],\"bodyOmitted\":\"not written: a gzip-encoded body that cannot be decoded\"}}\n");
    List<CaptureItem> items = readAll(f);
    assertThat(corrupt(items)).isEmpty();
    CaptureItem.Captured c = (CaptureItem.Captured) items.get(0);
    assertThat(c.recordedOld().status()).isEqualTo(200);
    assertThat(c.recordedOld().body()).isEmpty();
    assertThat(c.oldUnrecorded()).containsExactly(dev.shadowparity.engine.Unrecorded.BODY);
  }

  @Test
  void ndjson_truncatedMidLine_keepsTheCompleteLines_andNamesTheCutOne() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 5; i++) {
      b.append("{\"request\":{\"method\":\"GET\",\"uri\":\"/a/").append(i).append("\"},\"old\":{\"status\":200,")
          .append("\"body\":\"{}\"}}\n");
    }
    Path f = tmp.resolve("cut.ndjson");
    Files.writeString(f, b.substring(0, b.length() - 20));
    List<CaptureItem> items = readAll(f);
    assertThat(requestLines(items)).containsExactly("GET /a/1", "GET /a/2", "GET /a/3", "GET /a/4");
    assertThat(corrupt(items)).singleElement().satisfies(c -> {
      assertThat(c.position()).isEqualTo("line 5");
      assertThat(c.problem()).startsWith("not JSON");
    });
  }

  @Test
  void gzip_isReadTransparently_andTruncatedGzipEndsWithAPositionedError() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      gz.write(Files.readAllBytes(GOR));
    }
    Path gz = tmp.resolve("shop.gor.gz");
    Files.write(gz, buf.toByteArray());
    assertThat(requestLines(readAll(gz))).hasSize(9);
    Path cut = tmp.resolve("cut.gor.gz");
    Files.write(cut, Arrays.copyOf(buf.toByteArray(), buf.size() - 30));
    List<CaptureItem> items = readAll(cut);
    assertThat(corrupt(items)).isNotEmpty();
    assertThat(corrupt(items).get(corrupt(items).size() - 1).problem()).containsAnyOf("cannot be read further", "raw HTTP");
  }

  @Test
  void format_isToldFromContent_notFromTheName() throws IOException {
    Path harNamedTxt = tmp.resolve("a.txt");
    Files.copy(HAR, harNamedTxt);
    try (CaptureReader r = CaptureFiles.open(harNamedTxt, null)) {
      assertThat(r.format()).isEqualTo(CaptureFormat.HAR);
    }
    Path gor = tmp.resolve("b.json");
    Files.copy(GOR, gor);
    try (CaptureReader r = CaptureFiles.open(gor, null)) {
      assertThat(r.format()).isEqualTo(CaptureFormat.GOR);
    }
    Path junk = tmp.resolve("junk.bin");
    Files.writeString(junk, "PK\u0003\u0004 not a capture");
    assertThatThrownBy(() -> CaptureFiles.open(junk, null)).isInstanceOf(CaptureFiles.UnknownFormatException.class)
        .hasMessageContaining("junk.bin").hasMessageContaining("--format");
  }

  @Test
  void unsendableRequests_areCorruptRecords_inEveryFormat() throws IOException {
    Path nd = tmp.resolve("bad.ndjson");
    Files.writeString(nd, String.join("\n",
        "{\"request\":{\"method\":\"GE T\",\"uri\":\"/a\"}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/b\",\"headers\":[[\"\",\"v\"]]}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/c\",\"headers\":[[\"X-A\",\"1\\r\\nInjected: yes\"]]}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/d e\"}}",
        "{\"request\":{\"method\":\"GET\",\"uri\":\"/ok\"}}") + "\n");
    List<CaptureItem> items = readAll(nd);
    assertThat(requestLines(items)).containsExactly("GET /ok");
    assertThat(corrupt(items)).extracting(CaptureItem.Corrupt::problem).containsExactly(
        "method 'GE T' is not an HTTP token", "header name must not be empty",
        "header X-A has a line break or NUL in its value",
        "request target '/d e' holds a space or control character");

    String har = Files.readString(HAR).replaceFirst("\\{\"name\":\"X-Client\",\"value\":\"har-demo\"\\}",
        "{\"name\":\"\",\"value\":\"har-demo\"}");
    Path badHar = tmp.resolve("bad.har");
    Files.writeString(badHar, har);
    assertThat(corrupt(readAll(badHar))).singleElement().satisfies(c -> assertThat(c.problem()).isEqualTo(
        "header name must not be empty"));

    String sep = new String(dev.shadowparity.replay.impl.GorReader.SEPARATOR, StandardCharsets.UTF_8);
    Path gor = tmp.resolve("bad.gor");
    Files.writeString(gor, "1 " + "a".repeat(24) + " 1 0\nGET /x HTTP/1.1\r\n : v\r\n\r\n" + sep
        + "1 " + "b".repeat(24) + " 2 0\nG\"ET /y HTTP/1.1\r\n\r\n" + sep
        + "1 " + "c".repeat(24) + " 3 0\nGET /z HTTP/1.1\r\n\r\n" + sep + "\n");
    List<CaptureItem> g = readAll(gor);
    assertThat(requestLines(g)).containsExactly("GET /z");
    assertThat(corrupt(g)).hasSize(2).allSatisfy(c -> assertThat(c.position()).startsWith("byte "));
  }

  @Test
  void harUrls_asBrowsersWriteThem_areKept_andMadeSendable() throws IOException {
    String har = Files.readString(HAR)
        .replace("/api/users/1\"", "/api/users/1?q={%22a%22:1}&f=a|b^[x]#frag\"")
        .replace("/api/users/3\"", "/api/users/3?name=Zo\u00eb Ü\"");
    Path f = tmp.resolve("urls.har");
    Files.writeString(f, har);
    List<CaptureItem> items = readAll(f);
    assertThat(corrupt(items)).isEmpty();
    assertThat(requestLines(items)).contains("GET /api/users/1?q={%22a%22:1}&f=a|b^[x]",
        "GET /api/users/3?name=Zo%C3%AB%20%C3%9C");
  }

  @Test
  void gor_reusedId_keepsBothRequests_andTrailingLineEndsAreNotRecords() throws IOException {
    String sep = new String(dev.shadowparity.replay.impl.GorReader.SEPARATOR, StandardCharsets.UTF_8);
    String id = "d".repeat(40);
    Path f = tmp.resolve("dup.gor");
    Files.writeString(f, "1 " + id + " 1 0\nGET /first HTTP/1.1\r\n\r\n" + sep
        + "1 " + id + " 2 0\nGET /second HTTP/1.1\r\n\r\n" + sep
        + "2 " + id + " 3 1\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + sep + "\n\n");
    List<CaptureItem> items = readAll(f);
    assertThat(corrupt(items)).isEmpty();
    assertThat(requestLines(items)).containsExactly("GET /first", "GET /second");
    assertThat(((CaptureItem.Captured) items.get(0)).recordedOld()).isNull();
    assertThat(((CaptureItem.Captured) items.get(1)).recordedOld().status()).isEqualTo(200);
  }

  @Test
  void damagedGzip_isReportedWithTheFileName_orAsAPositionedRecord() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      gz.write(Files.readAllBytes(GOR));
    }
    byte[] bytes = buf.toByteArray();
    Path tiny = tmp.resolve("tiny.gz");
    Files.write(tiny, Arrays.copyOf(bytes, 6));
    assertThatThrownBy(() -> readAll(tiny)).hasMessageContaining("tiny.gz");
    byte[] damaged = bytes.clone();
    for (int i = 20; i < 60; i++) {
      damaged[i] = (byte) 0xff;
    }
    Path bad = tmp.resolve("damaged.gor.gz");
    Files.write(bad, damaged);
    try (CaptureReader r = CaptureFiles.open(bad, CaptureFormat.GOR)) {
      CaptureItem first = r.next();
      assertThat(first).isInstanceOf(CaptureItem.Corrupt.class);
      assertThat(((CaptureItem.Corrupt) first).problem()).startsWith("the file cannot be read further");
      assertThat(r.next()).isNull();
    }
  }

  /**
   * Found by the capture reader fuzz tests: a problem quoted the offending value whole (a HAR URL without host, a
   * form's type, a NDJSON timestamp or status, a GoReplay status), up to the record cap, into the console, the log and
   * the report. Quoted values are now cut to 60 characters.
   */
  @Test
  void problems_quoteValuesShortened() throws IOException {
    String big = "x".repeat(5000);
    Path har = tmp.resolve("long.har");
    Files.writeString(har, "{\"log\":{\"entries\":["
        + "{\"request\":{\"method\":\"GET\",\"url\":\"http:" + big + "\"},\"response\":{\"status\":200}},"
        + "{\"request\":{\"method\":\"POST\",\"url\":\"http://a/\",\"postData\":{\"mimeType\":\"" + big
        + "\",\"params\":[{\"name\":\"a\",\"value\":\"b\"}]}},\"response\":{\"status\":200}}]}}");
    Path ndjson = tmp.resolve("long.ndjson");
    Files.writeString(ndjson, "{\"request\":{\"method\":\"GET\",\"uri\":\"/\"},\"ts\":\"" + big + "\"}\n"
        + "{\"request\":{\"method\":\"GET\",\"uri\":\"/\"},\"old\":{\"status\":\"" + big + "\"}}\n"
        + "{\"request\":{\"method\":\"GET\",\"uri\":\"/\",\"headers\":[[\"" + big + "\",\"a\\nb\"]]}}\n");
    Path gor = tmp.resolve("long.gor");
    Files.write(gor, ("2 0123456789abcdef01234567 1\nHTTP/1.1 " + "9".repeat(5000) + " OK\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    for (Path f : List.of(har, ndjson, gor)) {
      List<CaptureItem.Corrupt> problems = corrupt(readAll(f));
      assertThat(problems).as(f.toString()).isNotEmpty();
      assertThat(problems).allSatisfy(c -> assertThat(c.problem()).hasSizeLessThan(300));
    }
  }
}
