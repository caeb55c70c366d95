package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded input through {@code parity replay}: records over {@code limits.max-record-bytes} are reported with their
 * position and skipped, also a 1 GiB line under the launcher's heap in a JVM of its own; a recorded body over the copy
 * cap is judged by length and digest; an input of which nothing is sent exits 2 and says why.
 */
class ReplayBoundedInputTest {

  static ShopBackends shop;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    shop = new ShopBackends();
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  private ReplayCommandTest.Run replay(Path json, List<Path> files, String... more) {
    List<String> args = new ArrayList<>(List.of("replay"));
    files.forEach(f -> args.add(f.toString()));
    args.addAll(List.of("--json", json.toString(), "--progress", "none"));
    args.addAll(List.of(more));
    if (!args.contains("--config")) {
      args.addAll(List.of("--config", shop.config.toString()));
    }
    return ReplayCommandTest.run(args.toArray(String[]::new));
  }

  private static String tapLine(String uri, String body) {
    return "{\"ts\":\"2026-11-21T11:35:04.123Z\",\"request\":{\"method\":\"GET\",\"uri\":\"" + uri
        + "\",\"headers\":[[\"Accept\",\"*/*\"]]},\"new\":{\"status\":200,\"body\":\"" + body + "\"}}";
  }

  private Path config(String limits) throws IOException {
    Path c = dir.resolve("parity.yaml");
    Files.writeString(c, "rules:\n  ignore-headers: [matched-stub-id]\nlimits:\n" + limits);
    return c;
  }

  // ---------------------------------------------------------------------------------------- nothing to compare

  @Test
  void inputsWithNoRecords_exit2_sayingSo_evenUnderFailOnNever() throws IOException {
    Path empty = dir.resolve("empty.har");
    Files.write(empty, new byte[0]);
    Path noEntries = dir.resolve("app.har");
    Files.writeString(noEntries, "{\"log\":{\"version\":\"1.2\",\"entries\":[]}}");
    Path blank = dir.resolve("blank.ndjson");
    Files.writeString(blank, "\n  \n\r\n");
    Path json = dir.resolve("r.json");
    for (Path f : List.of(empty, noEntries, blank)) {
      for (String failOn : List.of("failing", "never")) {
        ReplayCommandTest.Run r = replay(json, List.of(f), "--new", shop.newUrl(), "--fail-on", failOn);
        assertThat(r.exit()).as("%s under --fail-on %s: %s", f, failOn, r.out() + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.out()).contains("NOTHING COMPARED: no records in " + f + ": nothing to compare; parity is not claimed "
            + "on an empty input.");
      }
      assertThat(JSON.readTree(json.toFile()).path("input").path("records").asLong()).isZero();
    }
    ReplayCommandTest.Run all = replay(json, List.of(empty, noEntries), "--new", shop.newUrl());
    assertThat(all.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(all.out()).contains("NOTHING COMPARED: no records in " + empty + ", " + noEntries + ": nothing to compare");
  }

  @Test
  void recordsOfWhichNoneIsSent_exit2_withTheReasons() throws IOException {
    Path json = dir.resolve("r.json");
    ReplayCommandTest.Run filtered = replay(json, List.of(ShopBackends.HAR), "--new", shop.newUrl(), "--include", "nothing-matches",
        "--fail-on", "never");
    assertThat(filtered.exit()).as(filtered.out()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(filtered.out()).contains("NOTHING COMPARED: none of the 11 records read was sent (11 filtered); parity is not "
        + "claimed when nothing was compared.");

    // GoReplay against NEW alone: the POST is unsafe, /api/missing has no recorded answer, the rest filtered out
    ReplayCommandTest.Run mixed = replay(json, List.of(ShopBackends.GOR), "--new", shop.newUrl(), "--include", "cart|missing");
    assertThat(mixed.exit()).as(mixed.out()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(mixed.out()).contains("NOTHING COMPARED: none of the 9 records read was sent (7 filtered, "
        + "1 no-recorded-response, 1 unsafe-method)");

    // every record corrupt: both lines say so
    Path bad = dir.resolve("bad.ndjson");
    Files.writeString(bad, "{\"request\":\n[1]\n");
    ReplayCommandTest.Run corrupt = replay(json, List.of(bad), "--new", shop.newUrl());
    assertThat(corrupt.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(corrupt.out()).contains("INPUT ERRORS: 2 corrupt records were skipped")
        .contains("NOTHING COMPARED: none of the 2 records read was sent (2 corrupt)");
  }

  @Test
  void anEmptyFileAmongOthers_isNamed_andTheRunIsJudgedOnTheRest() throws IOException {
    Path empty = dir.resolve("empty.ndjson");
    Files.write(empty, new byte[0]);
    Path json = dir.resolve("r.json");
    ReplayCommandTest.Run r = replay(json, List.of(ShopBackends.HAR, empty), "--new", shop.newUrl());
    assertThat(r.exit()).as(r.out()).isEqualTo(ExitCodes.OK); // as without the empty file (ReplayCommandTest)
    assertThat(r.out()).contains(empty + ": no records").doesNotContain("NOTHING COMPARED");
    assertThat(JSON.readTree(json.toFile()).path("input").path("sent").asLong()).isEqualTo(10);
  }

  // ---------------------------------------------------------------------------------------- the caps

  @Test
  void aRecordOverTheConfiguredCap_isSkippedWithItsPosition_andTheRestIsReplayed() throws IOException {
    Path f = dir.resolve("capture.ndjson");
    String big = tapLine("/api/users/2", "x".repeat(10_000));
    Files.writeString(f, tapLine("/api/users/1", "") + "\n" + big + "\n" + tapLine("/api/health", "") + "\n");
    Path json = dir.resolve("r.json");
    ReplayCommandTest.Run r = replay(json, List.of(f), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--config",
        config("  max-record-bytes: 4096\n").toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("parity replay: corrupt record skipped: " + f + ": line 2: " + big.length()
        + " bytes, over limits.max-record-bytes (4096); skipped");
    JsonNode input = JSON.readTree(json.toFile()).path("input");
    assertThat(input.path("records").asLong()).isEqualTo(3);
    assertThat(input.path("sent").asLong()).isEqualTo(2);
    assertThat(input.path("problems").get(0).path("position").asText()).isEqualTo("line 2");

    // the same file under the default cap: every line replayed
    ReplayCommandTest.Run all = replay(json, List.of(f), "--old", shop.oldUrl(), "--new", shop.newUrl());
    assertThat(all.exit()).as(all.out() + all.err()).isEqualTo(ExitCodes.OK);
    assertThat(JSON.readTree(json.toFile()).path("input").path("sent").asLong()).isEqualTo(3);
  }

  @Test
  void aRecordedBodyOverTheCopyCap_isJudgedByLengthAndDigest_asALiveOne() throws IOException {
    Path json = dir.resolve("r.json");
    ReplayCommandTest.Run r = replay(json, List.of(ShopBackends.HAR), "--new", shop.newUrl(), "--config",
        config("  response-copy-bytes: 40\n").toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
    JsonNode report = JSON.readTree(json.toFile());
    // equal bodies over the cap (the 81-byte PNG, users 1 and 3): the same length and digest, so matched unparsed
    assertThat(ReplayCommandTest.endpoints(report)).contains("GET /static/logo.png: 1 compared, 0 mismatched, 0 errors, UNPROVEN");
    // users/2 answers 12 for 12.5: its bytes differ, and over the cap that cannot be told field by field
    JsonNode users = endpoint(report, "GET /api/users/{id}");
    assertThat(users.path("compared").asLong()).isEqualTo(2);
    assertThat(users.path("notComparable").path("over-cap").asLong()).isEqualTo(1);
  }

  private static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + report.path("endpoints"));
  }

  // ---------------------------------------------------------------------------------------- under the launcher's heap

  /**
   * A 1 GiB NDJSON line and a 256 MiB HAR entry, each between two good records, replayed by a JVM of its own with the
   * heap the launcher gives replay: neither is held (either would not fit), both are reported with their position and
   * size, and the good records around them are compared.
   */
  @Test
  void hugeRecords_underTheLaunchersHeap_areSkipped_andTheRecordsAroundThemCompared() throws Exception {
    Path nd = dir.resolve("huge.ndjson");
    long line = 1L << 30;
    String head = "{\"request\":{\"method\":\"GET\",\"uri\":\"/api/users/2\"},\"old\":{\"status\":200,\"body\":\"";
    String tail = "\"}}";
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(nd), 1 << 16)) {
      out.write((tapLine("/api/users/1", "") + "\n" + head).getBytes(StandardCharsets.UTF_8));
      fill(out, line - head.length() - tail.length());
      out.write((tail + "\n" + tapLine("/api/health", "") + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Path har = dir.resolve("huge.har");
    long entry = 256L << 20;
    String base = "http://127.0.0.1:" + java.net.URI.create(shop.oldUrl()).getPort();
    String entryHead = "{\"request\":{\"method\":\"GET\",\"url\":\"" + base + "/api/users/3\",\"headers\":[]},"
        + "\"response\":{\"status\":200,\"headers\":[],\"content\":{\"mimeType\":\"text/plain\",\"text\":\"";
    String entryTail = "\"}}}";
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(har), 1 << 16)) {
      out.write(("{\"log\":{\"version\":\"1.2\",\"entries\":[\n" + harEntry(base + "/api/users/1") + ",\n" + entryHead)
          .getBytes(StandardCharsets.UTF_8));
      fill(out, entry - entryHead.length() - entryTail.length());
      out.write((entryTail + ",\n" + harEntry(base + "/api/health") + "\n]}}").getBytes(StandardCharsets.UTF_8));
    }
    Path json = dir.resolve("r.json");
    Path log = dir.resolve("replay.log");
    try {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          // the launcher's options for replay (./parity), and an exit of its own should the heap run out
          "-XX:+UseSerialGC", "-Xmx160m", "-XX:+ExitOnOutOfMemoryError",
          "-cp", System.getProperty("java.class.path"), ParityMain.class.getName(), "replay", nd.toString(), har.toString(),
          "--old", shop.oldUrl(), "--new", shop.newUrl(), "--config", shop.config.toString(), "--json", json.toString(),
          "--progress", "none");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean ended = p.waitFor(5, TimeUnit.MINUTES);
      if (!ended) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      String output = Files.readString(log);
      assertThat(ended).as("the replay ended within 5 minutes; output:%n%s", output).isTrue();
      assertThat(output).doesNotContain("OutOfMemoryError");
      assertThat(p.exitValue()).as(output).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(output).contains("corrupt record skipped: " + nd + ": line 2: 1073741824 bytes, over "
          + "limits.max-record-bytes (8388608); skipped");
      assertThat(output).contains("corrupt record skipped: " + har + ": entry 2 (line 3, column 1): 268435456 bytes, over "
          + "limits.max-record-bytes (8388608); skipped");
      JsonNode input = JSON.readTree(json.toFile()).path("input");
      assertThat(input.path("records").asLong()).isEqualTo(6);
      assertThat(input.path("corrupt").asLong()).isEqualTo(2);
      assertThat(input.path("sent").asLong()).isEqualTo(4);
      assertThat(ReplayCommandTest.endpoints(JSON.readTree(json.toFile())))
          .contains("GET /api/users/{id}: 2 compared, 0 mismatched, 0 errors, UNPROVEN")
          .contains("GET /api/health: 2 compared, 0 mismatched, 0 errors, UNPROVEN");
    } finally {
      Files.deleteIfExists(nd);
      Files.deleteIfExists(har);
    }
  }

  private static String harEntry(String url) {
    return "{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\",\"headers\":[]},\"response\":{\"status\":200,"
        + "\"headers\":[],\"content\":{\"mimeType\":\"text/plain\",\"text\":\"\"}}}";
  }

  /** Writes {@code n} bytes of string content (letters), streaming: never more than 64 KiB in memory. */
  private static void fill(OutputStream out, long n) throws IOException {
    byte[] chunk = new byte[1 << 16];
    Arrays.fill(chunk, (byte) 'q');
    for (long left = n; left > 0; left -= chunk.length) {
      out.write(chunk, 0, (int) Math.min(chunk.length, left));
    }
  }
}
