package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parity replay} end to end: real capture files against WireMock OLD and NEW with known differences. */
class ReplayCommandTest {

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

  record Run(int exit, String out, String err) {}


  static Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.get(0).equals("replay") && !all.contains("--config")) {
      all.add("--config");
      all.add(shop.config.toString());
    }
    args = all.toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** One line per endpoint: counts, skips, errors, verdict and fields, in the report's order. */
  static List<String> endpoints(JsonNode report) {
    List<String> lines = new ArrayList<>();
    for (JsonNode e : report.path("endpoints")) {
      StringBuilder b = new StringBuilder(e.path("endpoint").asText()).append(": ").append(e.path("compared").asLong())
          .append(" compared, ").append(e.path("mismatched").asLong()).append(" mismatched, ")
          .append(e.path("errors").asLong()).append(" errors");
      e.path("skipped").fields().forEachRemaining(s -> b.append(", skipped ").append(s.getKey()).append(" ").append(s.getValue()));
      b.append(", ").append(e.path("verdict").asText());
      for (JsonNode f : e.path("fields")) {
        b.append(", ").append(f.path("field").asText()).append(" ").append(f.path("kind").asText()).append(" ")
            .append(f.path("count").asLong());
      }
      lines.add(b.toString());
    }
    return lines;
  }

  static final List<String> EXPECTED_SAFE = List.of(
      "GET /api/report.csv: 1 compared, 1 mismatched, 0 errors, UNPROVEN, body value 1",
      "GET /api/users/{id}: 3 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1",
      "GET /: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "GET /api/health: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "GET /api/missing: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "GET /api/orders/{id}: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "GET /api/products: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "GET /static/logo.png: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
      "POST /api/cart: 0 compared, 0 mismatched, 0 errors, skipped unsafe-method 1, NOT_MIRRORED");

  @Test
  void har_fromChromium_againstOldAndNew_reportsExactlyTheKnownDifferences() throws IOException {
    Path json = dir.resolve("r.json");
    Path html = dir.resolve("r.html");
    Path junit = dir.resolve("r.xml");
    Path md = dir.resolve("r.md");
    // one mismatch per endpoint is too little to call it FAILING (docs/verdicts.md): CI fails on any difference
    Run r = run("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--json", json.toString(),
        "--report", html.toString(), "--junit", junit.toString(), "--markdown", md.toString(), "--progress", "none",
        "--fail-on", "mismatch");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DIFFERENT);
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(endpoints(report)).containsExactlyElementsOf(EXPECTED_SAFE);
    assertThat(report.path("input").path("files").get(0).path("format").asText()).isEqualTo("har");
    assertThat(report.path("input").path("records").asLong()).isEqualTo(11);
    assertThat(report.path("input").path("sent").asLong()).isEqualTo(10);
    assertThat(report.path("input").path("corrupt").asLong()).isZero();
    JsonNode users = report.path("endpoints").get(1);
    JsonNode sample = users.path("samples").get(0);
    assertThat(sample.path("request").path("uri").asText()).isEqualTo("/api/users/2");
    assertThat(sample.path("differences").get(0).path("old").asText()).isEqualTo("12.5");
    assertThat(sample.path("differences").get(0).path("new").asText()).isEqualTo("12");
    assertThat(r.out()).contains("FAILED").contains("GET /api/users/{id}");

    String page = Files.readString(html);
    // kept for people (and CI artifacts) to look at: the report a reader of the README gets
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "replay-report-sample.html"), page);
    assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("src=\"http")
        .doesNotContain("href=\"http").contains("? UNPROVEN").contains("– NOT MIRRORED").contains("<code>GET /api/users/{id}</code>")
        .contains("<code>/balance</code>").contains("SÃ£o Paulo");
    // JSON side by side, the differing row marked; text as a unified diff
    assertThat(page).containsPattern("<tr class=\"mark\"><td class=\"gutter\">▶</td><td class=\"old\">  &quot;balance&quot;: 12.5,"
        + "</td><td class=\"new\">  &quot;balance&quot;: 12,</td></tr>");
    assertThat(page).contains("<span class=\"add\">+2,José Muñoz,SÃ£o Paulo");

    String xml = Files.readString(junit);
    assertThat(xml).contains("tests=\"9\" failures=\"2\" errors=\"0\" skipped=\"6\"")
        .contains("<testcase classname=\"shadow-parity\" name=\"GET /api/users/{id}\" time=\"0\">\n      <failure type=\"UNPROVEN\"")
        .contains("name=\"POST /api/cart\" time=\"0\">\n      <system-out>NOT_MIRRORED: only unsafe methods");
    assertThat(Files.readString(md)).contains("### Shadow Parity: ❌ 2 endpoints fail under `--fail-on mismatch`")
        .contains("| ⚠️ | `GET /api/users/{id}` | UNPROVEN | 3 | 1 | 0 |").contains("`/balance` value ×1");
  }

  @Test
  void har_againstNewOnly_comparesWithTheRecordedResponses_sameFindings() throws IOException {
    Path json = dir.resolve("r.json");
    Run r = run("replay", ShopBackends.HAR.toString(), "--new", shop.newUrl(), "--json", json.toString(), "--progress", "none");
    assertThat(r.exit()).as("no endpoint FAILING on so few exchanges: " + r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("Note: 2 endpoints differ on too few exchanges to be FAILING (see above); "
        + "--fail-on mismatch fails on any difference.");
    assertThat(endpoints(JSON.readTree(json.toFile()))).containsExactlyElementsOf(EXPECTED_SAFE);
  }

  @Test
  void allowUnsafe_replaysThePost_andFailOnMismatchCountsIt() throws IOException {
    Path json = dir.resolve("r.json");
    Run r = run("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--allow-unsafe",
        "--include", "cart", "--json", json.toString(), "--fail-on", "mismatch", "--progress", "none");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DIFFERENT);
    assertThat(endpoints(JSON.readTree(json.toFile()))).contains("POST /api/cart: 1 compared, 1 mismatched, 0 errors, UNPROVEN, /count value 1");
    // filtered requests are counted under their endpoint
    assertThat(endpoints(JSON.readTree(json.toFile()))).contains("GET /api/users/{id}: 0 compared, 0 mismatched, 0 errors, "
        + "skipped filtered 3, UNPROVEN");
  }

  @Test
  void failOn_decidesTheExitCode() {
    String har = ShopBackends.HAR.toString();
    // only clean endpoints: nothing fails under any condition
    assertThat(run("replay", har, "--old", shop.oldUrl(), "--new", shop.newUrl(), "--include", "products|orders",
        "--fail-on", "mismatch", "--progress", "none").exit()).isEqualTo(ExitCodes.OK);
    assertThat(run("replay", har, "--old", shop.oldUrl(), "--new", shop.newUrl(), "--fail-on", "never", "--progress", "none")
        .exit()).isEqualTo(ExitCodes.OK);
    assertThat(run("replay", har, "--old", shop.oldUrl(), "--new", shop.newUrl(), "--fail-on", "mismatch", "--progress", "none")
        .exit()).isEqualTo(ExitCodes.DIFFERENT);
    // one mismatch on an endpoint is not enough to call it FAILING; two on the same endpoint are (docs/verdicts.md)
    assertThat(run("replay", har, har, "--old", shop.oldUrl(), "--new", shop.newUrl(), "--fail-on", "failing", "--progress", "none")
        .exit()).isEqualTo(ExitCodes.DIFFERENT);
    assertThat(run("replay", har, "--old", shop.oldUrl(), "--new", shop.newUrl(), "--fail-on", "failing", "--progress", "none")
        .exit()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void gor_againstOldAndNew_andNewOnly() throws IOException {
    Path json = dir.resolve("r.json");
    Run r = run("replay", ShopBackends.GOR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--json", json.toString(),
        "--progress", "none", "--fail-on", "mismatch");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DIFFERENT);
    assertThat(endpoints(JSON.readTree(json.toFile()))).containsExactly(
        "GET /api/report.csv: 1 compared, 1 mismatched, 0 errors, UNPROVEN, body value 1",
        "GET /api/users/{id}: 3 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1",
        "GET /api/health: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/missing: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/orders/{id}: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "GET /api/products: 1 compared, 0 mismatched, 0 errors, UNPROVEN",
        "POST /api/cart: 0 compared, 0 mismatched, 0 errors, skipped unsafe-method 1, NOT_MIRRORED");
    // NEW only: the request whose response GoReplay never captured cannot be compared
    run("replay", ShopBackends.GOR.toString(), "--new", shop.newUrl(), "--json", json.toString(), "--include", "users|missing",
        "--progress", "none");
    assertThat(endpoints(JSON.readTree(json.toFile()))).contains(
        "GET /api/users/{id}: 3 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1",
        "GET /api/missing: 0 compared, 0 mismatched, 0 errors, skipped no-recorded-response 1, UNPROVEN");
  }

  @Test
  void truncatedHar_reportsThePosition_keepsPartialResults_exitsTwo() throws IOException {
    byte[] all = Files.readAllBytes(ShopBackends.HAR);
    Path cut = dir.resolve("cut.har");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length * 2 / 3));
    Path json = dir.resolve("r.json");
    Run r = run("replay", cut.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--json", json.toString(),
        "--fail-on", "never", "--progress", "none");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).containsPattern("corrupt record skipped: .*cut\\.har: line 1, column \\d+: not valid JSON");
    assertThat(r.out()).contains("INPUT ERRORS: 1 corrupt records");
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.path("totals").path("compared").asLong()).isPositive().isLessThan(10);
    assertThat(report.path("input").path("corrupt").asLong()).isEqualTo(1);
    assertThat(report.path("input").path("problems").get(0).path("position").asText()).startsWith("line 1, column ");
  }

  @Test
  void usageAndInputErrors_exitTwo_withWhatAndWhere() throws IOException {
    Run noNew = run("replay", ShopBackends.HAR.toString());
    assertThat(noNew.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(noNew.err()).contains("--new");
    Run badUrl = run("replay", ShopBackends.HAR.toString(), "--new", "localhost:80");
    assertThat(badUrl.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badUrl.err()).contains("--new: 'localhost:80' is not an http:// or https:// URL");
    Run missing = run("replay", dir.resolve("nope.har").toString(), "--new", shop.newUrl());
    assertThat(missing.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(missing.err()).contains("nope.har: no such readable file");
    Path junk = dir.resolve("junk.bin");
    Files.writeString(junk, "PK junk");
    Run unknown = run("replay", junk.toString(), "--new", shop.newUrl());
    assertThat(unknown.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(unknown.err()).contains("junk.bin: cannot tell the capture format").contains("--format");
    Run badRegex = run("replay", ShopBackends.HAR.toString(), "--new", shop.newUrl(), "--include", "(");
    assertThat(badRegex.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badRegex.err()).contains("--include: not a regular expression");
    Run badTimeout = run("replay", ShopBackends.HAR.toString(), "--new", shop.newUrl(), "--timeout", "soon");
    assertThat(badTimeout.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(badTimeout.err()).contains("'soon' is not a duration");
  }

  @Test
  void newDown_isCountedAsErrors_notAsACrash() throws IOException {
    Path json = dir.resolve("r.json");
    Run r = run("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new", "http://127.0.0.1:1", "--json",
        json.toString(), "--include", "users", "--progress", "none");
    // every request failed the same way at NEW: one line says so, and the run is not a verdict (exit 2)
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.out()).contains("INPUT ERRORS: NEW http://127.0.0.1:1: could not connect (refused or unreachable) for all 3 "
        + "requests; nothing was compared.");
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(endpoints(report)).contains("GET /api/users/{id}: 0 compared, 0 mismatched, 3 errors, FAILING");
    assertThat(report.path("endpoints").get(0).path("errorKinds").path("new:connect").asLong()).isEqualTo(3);
  }

  @Test
  void limit_rate_andSpeed() throws IOException {
    Path json = dir.resolve("r.json");
    run("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--limit", "4", "--json",
        json.toString(), "--progress", "none");
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.path("input").path("sent").asLong()).isEqualTo(4);
    assertThat(report.path("input").path("stoppedAtLimit").asBoolean()).isTrue();
    assertThat(report.path("totals").path("compared").asLong()).isEqualTo(4);

    long start = System.nanoTime();
    run("replay", ShopBackends.HAR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--rate", "20", "--progress", "none");
    assertThat((System.nanoTime() - start) / 1_000_000).as("10 requests at 20/s take at least 9 gaps of 50 ms")
        .isGreaterThanOrEqualTo(440);

    // the gor file spans 320 ms between its first and last request; at speed 4, about 80 ms
    start = System.nanoTime();
    run("replay", ShopBackends.GOR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--speed", "1", "--progress", "none");
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void anUnsendableRecord_isReportedAndSkipped_theReplayEnds() throws IOException {
    Path f = dir.resolve("odd.ndjson");
    Files.writeString(f, "{\"request\":{\"method\":\"GE T\",\"uri\":\"/api/users/1\"}}\n"
        + "{\"request\":{\"method\":\"GET\",\"uri\":\"/api/users/1\"}}\n");
    Run r = run("replay", f.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--allow-unsafe", "--progress", "none");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("odd.ndjson: line 1: method 'GE T' is not an HTTP token");
    assertThat(r.out()).contains("1 compared");
  }

  @Test
  void everyFileIsCheckedBeforeAnythingIsSent() throws IOException {
    Path junk = dir.resolve("second.bin");
    Files.writeString(junk, "PK junk");
    int before = shop.neu.getAllServeEvents().size();
    Run r = run("replay", ShopBackends.HAR.toString(), junk.toString(), "--new", shop.newUrl(), "--progress", "none");
    assertThat(r.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("second.bin: cannot tell the capture format");
    assertThat(shop.neu.getAllServeEvents()).hasSize(before);
  }

  @Test
  void rateHoldsAfterARecordedGap_withSpeed() {
    // the gor requests are 40 ms apart; at --speed 1000 the gaps vanish and --rate 20 alone spaces the 8 sent
    long start = System.nanoTime();
    run("replay", ShopBackends.GOR.toString(), "--old", shop.oldUrl(), "--new", shop.newUrl(), "--speed", "1000", "--rate", "20",
        "--progress", "none");
    assertThat((System.nanoTime() - start) / 1_000_000).as("8 requests at 20/s take at least 7 gaps of 50 ms")
        .isGreaterThanOrEqualTo(340);
  }
}
