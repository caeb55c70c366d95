package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.replay.impl.GorReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt capture files end to end through {@code parity replay}: a damaged record in the middle and a truncated
 * last record, in the tap's NDJSON and in GoReplay's format (and a bad HAR entry). Each problem is named on stderr
 * with its file and position, the good records are still replayed and reported, and the exit code is 2 unless
 * the {@code --fail-on} condition holds (then 1).
 */
class ReplayCorruptInputTest {

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

  record Replay(ReplayCommandTest.Run run, JsonNode report) {}

  private Replay replay(List<Path> files, String... more) throws IOException {
    Path json = dir.resolve("r.json");
    Files.deleteIfExists(json);
    List<String> args = new ArrayList<>(List.of("replay"));
    files.forEach(f -> args.add(f.toString()));
    args.addAll(List.of("--old", shop.oldUrl(), "--new", shop.newUrl(), "--config", shop.config.toString(), "--json",
        json.toString(), "--progress", "none"));
    args.addAll(List.of(more));
    ReplayCommandTest.Run r = ReplayCommandTest.run(args.toArray(String[]::new));
    return new Replay(r, JSON.readTree(json.toFile()));
  }

  /** The lines of stderr that report a skipped record. */
  private static List<String> skipped(ReplayCommandTest.Run r) {
    return r.err().lines().filter(l -> l.contains("corrupt record skipped")).toList();
  }

  private static String tapLine(String uri) {
    return "{\"ts\":\"2026-11-21T11:35:04.123Z\",\"request\":{\"method\":\"GET\",\"uri\":\"" + uri
        + "\",\"headers\":[[\"Accept\",\"*/*\"]]},\"new\":{\"status\":200}}";
  }

  @Test
  void ndjson_corruptLineInTheMiddle_andTruncatedLastLine() throws IOException {
    Path f = dir.resolve("capture.ndjson");
    String cut = tapLine("/api/products?q=caf%C3%A9&page=2");
    Files.writeString(f, tapLine("/api/users/1") + "\n"
        + tapLine("/api/users/2") + "\n"
        + tapLine("/api/orders/1001").substring(0, 70) + "\n" // a line cut short, with its line end
        + tapLine("/api/users/3") + "\n"
        + tapLine("/api/health") + "\n"
        + cut.substring(0, cut.length() - 15)); // the file ends inside the last record
    String file = f.toString();

    Replay r = replay(List.of(f), "--fail-on", "never");
    assertThat(r.run().exit()).as(r.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(skipped(r.run())).hasSize(2);
    assertThat(skipped(r.run()).get(0)).startsWith("parity replay: corrupt record skipped: " + file + ": line 3: not JSON");
    assertThat(skipped(r.run()).get(1)).startsWith("parity replay: corrupt record skipped: " + file + ": line 6: not JSON");
    assertThat(r.run().out()).contains("INPUT ERRORS: 2 corrupt records");
    assertThat(r.run().err()).containsPattern("(?m)^parity replay: 4 done \\(100% of the input\\), \\d+/s, 1 mismatched, "
        + "2 corrupt records$");
    JsonNode input = r.report().path("input");
    assertThat(input.path("records").asLong()).isEqualTo(6);
    assertThat(input.path("sent").asLong()).isEqualTo(4);
    assertThat(input.path("corrupt").asLong()).isEqualTo(2);
    assertThat(input.path("files").get(0).path("format").asText()).isEqualTo("tap");
    assertThat(input.path("files").get(0).path("corrupt").asLong()).isEqualTo(2);
    assertThat(input.path("problems")).hasSize(2);
    assertThat(input.path("problems").get(0).path("file").asText()).isEqualTo(file);
    assertThat(input.path("problems").get(0).path("position").asText()).isEqualTo("line 3");
    assertThat(input.path("problems").get(1).path("position").asText()).isEqualTo("line 6");
    assertThat(input.path("problems").get(1).path("problem").asText()).startsWith("not JSON");
    assertThat(r.report().path("totals").path("compared").asLong()).isEqualTo(4);
    assertThat(ReplayCommandTest.endpoints(r.report())).containsExactly(
        "GET /api/users/{id}: 3 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1",
        "GET /api/health: 1 compared, 0 mismatched, 0 errors, UNPROVEN");

    // the same input under the default --fail-on failing: one mismatch is not FAILING, so the input errors give 2
    Replay failing = replay(List.of(f));
    assertThat(failing.run().exit()).as(failing.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(failing.run().out()).contains("INPUT ERRORS").contains("Note: 1 endpoint differs on too few exchanges");
    assertThat(skipped(failing.run())).hasSize(2);
    assertThat(failing.report().path("input").path("corrupt").asLong()).isEqualTo(2);

    // only the clean endpoint: the condition does not hold, the input errors give 2
    Replay clean = replay(List.of(f), "--include", "health", "--fail-on", "mismatch");
    assertThat(clean.run().exit()).as(clean.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(ReplayCommandTest.endpoints(clean.report())).contains("GET /api/health: 1 compared, 0 mismatched, 0 errors, UNPROVEN");
  }

  @Test
  void gor_corruptPayloadInTheMiddle_andTruncatedLastPayload() throws IOException {
    String sep = new String(GorReader.SEPARATOR, StandardCharsets.ISO_8859_1);
    String good = new String(Files.readAllBytes(ShopBackends.GOR), StandardCharsets.ISO_8859_1);
    String[] payloads = good.split(Pattern.quote(sep));
    assertThat(payloads).hasSize(18);
    assertThat(payloads[4]).startsWith("1 ").contains("GET /api/users/3 HTTP/1.1\r\n");
    payloads[4] = payloads[4].replace("GET /api/users/3 HTTP/1.1\r\n", "GET /api/users/3 \r\n"); // no HTTP version
    String joined = String.join(sep, payloads) + sep;
    byte[] bytes = joined.getBytes(StandardCharsets.ISO_8859_1);
    long middle = joined.indexOf(payloads[4]);
    long last = joined.indexOf(payloads[17]);
    assertThat(payloads[17]).contains("GET /api/missing");
    Path f = dir.resolve("traffic.gor");
    Files.write(f, Arrays.copyOf(bytes, bytes.length - 40)); // the file ends inside the last request's headers
    String file = f.toString();

    Replay r = replay(List.of(f), "--fail-on", "never");
    assertThat(r.run().exit()).as(r.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(skipped(r.run())).hasSize(2);
    assertThat(skipped(r.run()).get(0)).startsWith("parity replay: corrupt record skipped: " + file + ": byte " + middle
        + " (payload 5): raw HTTP at byte ").contains("not an HTTP request line");
    assertThat(skipped(r.run()).get(1)).startsWith("parity replay: corrupt record skipped: " + file + ": byte " + last
        + " (payload 18): raw HTTP at byte ");
    assertThat(r.run().out()).contains("INPUT ERRORS: 2 corrupt records");
    assertThat(r.run().err()).containsPattern("(?m)^parity replay: 6 done \\(100% of the input\\), \\d+/s, 2 mismatched, "
        + "2 corrupt records$");
    JsonNode input = r.report().path("input");
    // 7 requests read (the POST is skipped as unsafe) and the 2 corrupt payloads
    assertThat(input.path("records").asLong()).isEqualTo(9);
    assertThat(input.path("sent").asLong()).isEqualTo(6);
    assertThat(input.path("corrupt").asLong()).isEqualTo(2);
    assertThat(input.path("files").get(0).path("format").asText()).isEqualTo("gor");
    assertThat(input.path("problems").get(0).path("position").asText()).isEqualTo("byte " + middle + " (payload 5)");
    assertThat(input.path("problems").get(1).path("position").asText()).isEqualTo("byte " + last + " (payload 18)");
    assertThat(r.report().path("totals").path("compared").asLong()).isEqualTo(6);
    assertThat(ReplayCommandTest.endpoints(r.report())).containsExactly(
        "GET /api/report.csv: 1 compared, 1 mismatched, 0 errors, UNPROVEN, body value 1",
        "GET /api/users/{id}: 2 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1",
        "GET /api/health: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/orders/{id}: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/products: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "POST /api/cart: 0 compared, 0 mismatched, 0 errors, skipped unsafe-method 1, NOT_MIRRORED");

    Replay failing = replay(List.of(f), "--fail-on", "mismatch");
    assertThat(failing.run().exit()).as(failing.run().err()).isEqualTo(ExitCodes.DIFFERENT);
    assertThat(skipped(failing.run())).hasSize(2);

    Replay clean = replay(List.of(f), "--include", "products|orders|health", "--fail-on", "mismatch");
    assertThat(clean.run().exit()).as(clean.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(clean.report().path("totals").path("compared").asLong()).isEqualTo(3);
    assertThat(clean.report().path("input").path("corrupt").asLong()).isEqualTo(2);
  }

  @Test
  void har_badEntryInTheMiddle_isSkippedWithItsNumber_theRestReplayed() throws IOException {
    String har = Files.readString(ShopBackends.HAR).replaceFirst(
        "\"method\":\"GET\",\"url\":\"http://127\\.0\\.0\\.1:(\\d+)/api/users/2\"", "\"method\":\"GET\",\"url\":17");
    Path f = dir.resolve("bad.har");
    Files.writeString(f, har);

    Replay r = replay(List.of(f));
    assertThat(skipped(r.run())).singleElement().satisfies(l -> assertThat(l).matches(Pattern.quote(
        "parity replay: corrupt record skipped: " + f + ": entry 4 (line 1, column ") + "\\d+\\): request\\.url must be a "
        + "non-empty string"));
    // the CSV still differs, once: not FAILING under the default condition, so the input error gives 2
    assertThat(r.run().exit()).as(r.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.report().path("input").path("records").asLong()).isEqualTo(11);
    assertThat(r.report().path("input").path("sent").asLong()).isEqualTo(9);
    assertThat(r.report().path("input").path("corrupt").asLong()).isEqualTo(1);
    assertThat(ReplayCommandTest.endpoints(r.report())).contains(
        "GET /api/users/{id}: 2 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/report.csv: 1 compared, 1 mismatched, 0 errors, UNPROVEN, body value 1");

    Replay clean = replay(List.of(f), "--exclude", "report");
    assertThat(clean.run().exit()).as(clean.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(clean.run().out()).contains("INPUT ERRORS: 1 corrupt records");
  }

  @Test
  void severalFiles_eachProblemNamesItsFile_andTheCountsArePerFile() throws IOException {
    Path nd = dir.resolve("a.ndjson");
    Files.writeString(nd, tapLine("/api/users/1") + "\n{\"request\":\n" + tapLine("/api/health") + "\n");
    String sep = new String(GorReader.SEPARATOR, StandardCharsets.UTF_8);
    Path gor = dir.resolve("b.gor");
    Files.writeString(gor, "1 " + "a".repeat(24) + " 1 0\nGET /api/users/3 HTTP/1.1\r\nHost: x\r\n\r\n" + sep
        + "1 zz 2 0\nGET /api/users/2 HTTP/1.1\r\n\r\n" + sep);

    Replay r = replay(List.of(nd, gor), "--fail-on", "never");
    assertThat(r.run().exit()).as(r.run().err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(skipped(r.run())).hasSize(2);
    assertThat(skipped(r.run()).get(0)).startsWith("parity replay: corrupt record skipped: " + nd + ": line 2: not JSON");
    assertThat(skipped(r.run()).get(1)).startsWith("parity replay: corrupt record skipped: " + gor + ": byte ")
        .contains("(payload 2): id 'zz' is not 24 or 40 hex digits");
    JsonNode files = r.report().path("input").path("files");
    assertThat(files).hasSize(2);
    assertThat(files.get(0).path("file").asText()).isEqualTo(nd.toString());
    assertThat(files.get(0).path("records").asLong()).isEqualTo(3);
    assertThat(files.get(0).path("corrupt").asLong()).isEqualTo(1);
    assertThat(files.get(1).path("file").asText()).isEqualTo(gor.toString());
    assertThat(files.get(1).path("format").asText()).isEqualTo("gor");
    assertThat(files.get(1).path("records").asLong()).isEqualTo(2);
    assertThat(files.get(1).path("corrupt").asLong()).isEqualTo(1);
    assertThat(r.report().path("totals").path("compared").asLong()).isEqualTo(3);
  }
}
