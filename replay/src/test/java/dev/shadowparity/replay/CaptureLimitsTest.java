package dev.shadowparity.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record cap ({@code limits.max-record-bytes}) in each reader: a record over it is read past without being kept,
 * reported with its position and size, and the records after it are read. Small caps here; the 1 GiB records under
 * the launcher's heap are in the cli module's {@code ReplayBoundedInputTest}.
 */
class CaptureLimitsTest {

  static final int CAP = 64 * 1024;

  @TempDir
  Path tmp;

  static List<CaptureItem> readAll(Path file, long cap) throws IOException {
    List<CaptureItem> items = new ArrayList<>();
    try (CaptureReader r = CaptureFiles.open(file, null, cap)) {
      for (CaptureItem i; (i = r.next()) != null; ) {
        items.add(i);
      }
    }
    return items;
  }

  /** Each item as {@code position: what}, in order. */
  static List<String> described(List<CaptureItem> items) {
    return items.stream().map(i -> i.position() + ": " + (i instanceof CaptureItem.Captured c
        ? c.request().method() + " " + c.request().uri()
            + (c.recordedOld() == null ? "" : " -> " + c.recordedOld().status() + " (" + c.recordedOld().body().length + " bytes)")
        : i instanceof CaptureItem.Corrupt c ? "CORRUPT " + c.problem() : "IGNORED " + ((CaptureItem.Ignored) i).reason()))
        .toList();
  }

  static String tapLine(String uri, String body) {
    return "{\"ts\":\"2026-11-21T11:35:04.123Z\",\"request\":{\"method\":\"GET\",\"uri\":\"" + uri + "\",\"headers\":[]},"
        + "\"old\":{\"status\":200,\"headers\":[[\"Content-Type\",\"text/plain\"]],\"body\":\"" + body + "\"},"
        + "\"new\":{\"status\":200,\"body\":\"" + body + "\"}}";
  }

  @Test
  void ndjson_aLineOverTheCap_isReportedWithItsNumberAndSize_andTheNextLinesAreRead() throws IOException {
    String big = tapLine("/big", "x".repeat(1024 * 1024));
    String atCap = tapLine("/at-cap", "");
    atCap = atCap + " ".repeat(CAP - atCap.length()); // white space after the object: exactly the cap
    String overCap = atCap + " ";
    Path f = tmp.resolve("capture.ndjson");
    Files.writeString(f, tapLine("/a", "one") + "\n" + big + "\n\n" + tapLine("/b", "two") + "\r\n" + atCap + "\n" + overCap
        + "\r\n" + tapLine("/c", "three"));
    assertThat(described(readAll(f, CAP))).containsExactly(
        "line 1: GET /a -> 200 (3 bytes)",
        "line 2: CORRUPT " + big.length() + " bytes, over limits.max-record-bytes (65536); skipped",
        "line 4: GET /b -> 200 (3 bytes)",
        "line 5: GET /at-cap -> 200 (0 bytes)",
        "line 6: CORRUPT 65538 bytes, over limits.max-record-bytes (65536); skipped", // its \r counted, as the cap counts it
        "line 7: GET /c -> 200 (5 bytes)");
    // the default cap reads the large line
    assertThat(described(readAll(f, 8L * 1024 * 1024))).contains("line 2: GET /big -> 200 (1048576 bytes)");
  }

  @Test
  void ndjson_theNewMember_isNotNeededToRead() throws IOException {
    Path f = tmp.resolve("capture.ndjson");
    // NEW's recorded answer is never built: whatever it holds (here no valid exchange), the line reads
    Files.writeString(f, "{\"request\":{\"method\":\"GET\",\"uri\":\"/a\"},\"new\":{\"status\":[1,{\"x\":\"" + "y".repeat(5000)
        + "\"}],\"body\":7},\"old\":{\"status\":200,\"body\":\"ok\"}}\n{\"new\":{},\"request\":{\"method\":\"GET\",\"uri\":\"/b\"}}\n"
        + "{\"new\":{\"x\":}\n");
    assertThat(described(readAll(f, CAP))).satisfiesExactly(
        a -> assertThat(a).isEqualTo("line 1: GET /a -> 200 (2 bytes)"),
        b -> assertThat(b).isEqualTo("line 2: GET /b"),
        c -> assertThat(c).startsWith("line 3: CORRUPT not JSON: "));
  }

  /** A pretty-printed HAR with other members before and after the entries, and the entries given. */
  static String har(List<String> entries) {
    return "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\"name\": \"test\", \"version\": \"1\"},\n"
        + "    \"pages\": [{\"id\": \"p\", \"title\": \"a [page] {with} \\\"brackets\\\"\"}],\n    \"entries\": [\n      "
        + String.join(",\n      ", entries) + "\n    ],\n    \"comment\": \"after\"\n  },\n  \"extra\": [1, 2.5e3, true, null]\n}\n";
  }

  static String harEntry(String path, String text) {
    return "{\"startedDateTime\": \"2026-11-21T13:57:48.011Z\", \"request\": {\"method\": \"GET\", \"url\": \"http://shop.example"
        + path + "\", \"headers\": []}, \"response\": {\"status\": 200, \"headers\": [], \"content\": {\"size\": "
        + text.length() + ", \"mimeType\": \"text/plain\", \"text\": \"" + text + "\"}}}";
  }

  @Test
  void har_anEntryOverTheCap_isReportedWithItsNumberLineAndSize_andTheEntriesAroundItAreRead() throws IOException {
    // braces, brackets, quotes and escapes inside the big string must not end the entry early
    String big = harEntry("/big", "{[\\\"\\\\]}\\u00e9".repeat(100_000));
    Path f = tmp.resolve("big.har");
    String text = har(List.of(harEntry("/a", "one"), big, harEntry("/c", "three")));
    Files.writeString(f, text);
    assertThat(described(readAll(f, CAP))).containsExactly(
        "entry 1 (line 7, column 7): GET /a -> 200 (3 bytes)",
        "entry 2 (line 8, column 7): CORRUPT " + big.length() + " bytes, over limits.max-record-bytes (65536); skipped",
        "entry 3 (line 9, column 7): GET /c -> 200 (5 bytes)");
    // within a larger cap the same entry is read, its escapes undone
    assertThat(described(readAll(f, 8L * 1024 * 1024))).contains("entry 2 (line 8, column 7): GET /big -> 200 (800000 bytes)");
  }

  @Test
  void har_aStringLongerThanJacksonsDefaultLimit_isReadWithinTheCap() throws IOException {
    Path f = tmp.resolve("long.har");
    int chars = 21_000_000; // Jackson refuses strings over 20 M characters by default
    Files.writeString(f, har(List.of(harEntry("/long", "z".repeat(chars)))));
    assertThat(described(readAll(f, 32L * 1024 * 1024))).containsExactly("entry 1 (line 7, column 7): GET /long -> 200 (21000000 bytes)");
  }

  @Test
  void har_invalidJson_anywhere_stopsReadingThere_withItsPosition() throws IOException {
    Path f = tmp.resolve("bad.har");
    // in a member that is skipped, before the entries
    Files.writeString(f, har(List.of(harEntry("/a", "one"))).replace("\"version\": \"1.2\"", "\"version\": tru"));
    assertThat(described(readAll(f, CAP))).containsExactly(
        "line 3, column 19: CORRUPT not valid JSON, reading stops here: unexpected ',' where 'true' was expected");
    // inside an entry over the cap: found while it is read past
    Files.writeString(f, har(List.of(harEntry("/a", "one"), harEntry("/big", "b".repeat(CAP)).replace("\"headers\": []",
        "\"headers\": [}"), harEntry("/c", "three"))));
    assertThat(described(readAll(f, CAP))).containsExactly("entry 1 (line 7, column 7): GET /a -> 200 (3 bytes)",
        "line 8, column 130: CORRUPT not valid JSON, reading stops here: unexpected '}' where a value was expected");
    // the file ends between two entries
    String cut = har(List.of(harEntry("/a", "one"), harEntry("/b", "two")));
    Files.writeString(f, cut.substring(0, cut.indexOf("{\"startedDateTime\"", cut.indexOf("/a")) - 8));
    assertThat(described(readAll(f, CAP))).containsExactly("entry 1 (line 7, column 7): GET /a -> 200 (3 bytes)",
        "line 7, column 240: CORRUPT not valid JSON, reading stops here: the file ends inside log.entries");
  }

  static final String SEP = "\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n";

  static String gorRequest(String id, String path, String body) {
    return "1 " + id + " 1700000000000000000 0\nPOST " + path + " HTTP/1.1\r\nHost: shop.example\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body;
  }

  static String gorResponse(String id, String body) {
    return "2 " + id + " 1700000000000000001 1000\nHTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
  }

  @Test
  void gor_aPayloadOverTheCap_isReportedWithItsOffsetAndSize_andTheRestIsRead() throws IOException {
    String a = "a".repeat(24);
    String b = "b".repeat(24);
    String c = "c".repeat(24);
    String big = gorRequest(b, "/big", "x".repeat(CAP));
    String text = gorRequest(a, "/a", "1") + SEP + gorResponse(a, "one") + SEP + big + SEP + gorResponse(b, "two") + SEP
        + gorRequest(c, "/c", "3") + SEP + gorResponse(c, "three") + SEP;
    Path f = tmp.resolve("t.gor");
    Files.writeString(f, text);
    long offset = (gorRequest(a, "/a", "1") + SEP + gorResponse(a, "one") + SEP).getBytes(StandardCharsets.UTF_8).length;
    assertThat(described(readAll(f, CAP))).containsExactly(
        "byte 0 (payload 1): POST /a -> 200 (3 bytes)",
        "byte " + offset + " (payload 3): CORRUPT " + big.length() + " bytes, over limits.max-record-bytes (65536); skipped",
        "byte " + (offset + big.length() + SEP.getBytes(StandardCharsets.UTF_8).length + gorResponse(b, "two").length()
            + SEP.getBytes(StandardCharsets.UTF_8).length) + " (payload 5): POST /c -> 200 (5 bytes)");
  }

  @Test
  void gor_requestsWaitingForTheirResponse_holdAtMostTwiceTheCap_theOldestGoOnWithoutOne() throws IOException {
    // five requests of 30 KiB each before any response: past 128 KiB held, the oldest goes on without its answer
    StringBuilder text = new StringBuilder();
    List<String> ids = List.of("1", "2", "3", "4", "5").stream().map(d -> d.repeat(24)).toList();
    for (String id : ids) {
      text.append(gorRequest(id, "/r" + id.charAt(0), "y".repeat(30 * 1024))).append(SEP);
    }
    for (String id : ids) {
      text.append(gorResponse(id, "ok" + id.charAt(0))).append(SEP);
    }
    Path f = tmp.resolve("waiting.gor");
    Files.writeString(f, text.toString());
    assertThat(described(readAll(f, CAP)).stream().map(s -> s.substring(s.indexOf(": ") + 2)).toList()).containsExactly(
        "POST /r1", "POST /r2 -> 200 (3 bytes)", "POST /r3 -> 200 (3 bytes)", "POST /r4 -> 200 (3 bytes)",
        "POST /r5 -> 200 (3 bytes)");
    // with a larger cap all five wait for their answers
    assertThat(described(readAll(f, 8L * 1024 * 1024))).allSatisfy(s -> assertThat(s).endsWith("-> 200 (3 bytes)"));
  }
}
