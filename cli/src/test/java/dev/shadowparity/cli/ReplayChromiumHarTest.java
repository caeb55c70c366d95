package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 8: a HAR recorded by a real headless Chromium ({@code fixtures/har/chromium-site.har}, recorded by
 * {@code fixtures/har/record.sh} through {@code webtest/record-har.js} against {@link HarSiteBackend} as OLD) replayed
 * against NEW alone, NEW being the very same site: there is no difference, so nothing may mismatch.
 *
 * <p>The HAR holds what a browser really records (inventory with entry numbers in {@code fixtures/har/README.md}):
 * redirects whose bodies the browser never kept (1, 14), a revalidated document and fetch recorded as a 200 with
 * {@code If-None-Match} and only the 304's headers (6, 12), revalidated subresources recorded as 304 without body
 * (7, 8), a HEAD recorded as a 200 with {@code _failureText: net::ERR_ABORTED} (13), answers whose bodies the page
 * never read (15, 16: {@code content.size -1}, no text), an aborted fetch (17: status -1, {@code net::ERR_ABORTED}),
 * a request to another host name (18: {@code localhost}) and one to a name that does not resolve (19: status -1,
 * {@code net::ERR_NAME_NOT_RESOLVED}).
 *
 * <p>Some assertions are on report fields that issue 18's replay work adds (not in {@code docs/report-format.md} yet);
 * they are marked "NEW FIELD" and kept loose on names. Soft assertions: one run lists every expectation not met.
 */
class ReplayChromiumHarTest {

  static final Path HAR = ShopBackends.FIXTURES.resolve("har/chromium-site.har");
  static final ObjectMapper JSON = new ObjectMapper();
  /** Entries 1-17 go to 127.0.0.1:18321, 18 to localhost:18321, 19 to parity-unresolvable.invalid. */
  static final int ENTRIES = 19;

  /** Reasons for entries the browser never completed: {@code aborted}, {@code unresolved}, {@code not completed ...}. */
  static final Pattern NOT_COMPLETED = Pattern.compile("(?i).*(not[ -]completed|abort|unresolv|failed|net::ERR_).*");
  static final Pattern OTHER_HOST = Pattern.compile("(?i).*other[ -]host.*");
  /** A reason for a recorded answer whose body the browser did not keep. */
  static final Pattern BODY_NOT_RECORDED = Pattern.compile("(?i).*body.*not[ -]recorded.*|.*not[ -]recorded.*body.*");

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** The endpoints the HAR's 16 completed requests to 127.0.0.1 make, with how many requests each (entry numbers). */
  static final Map<String, Integer> COMPARED = Map.of(
      "GET /old-home", 1,               // 1: 301, body not recorded
      "GET /", 2,                       // 2, and 6: the reload, a 200 recorded with If-None-Match and the 304's headers
      "GET /style.css", 2,              // 3, and 7: 304 with If-None-Match, no body
      "GET /app.js", 2,                 // 4, and 8: the same
      "GET /api/articles", 2,           // 5, 9
      "GET /api/articles/{id}", 3,      // 10 (/1); 11 and 12 (/2; 12 a 200 recorded with If-None-Match)
      "HEAD /api/articles/{id}", 1,     // 13: a 200 that Chromium marked net::ERR_ABORTED (HEAD: no body ever comes)
      "GET /login", 1,                  // 14: 302, body not recorded
      "GET /api/session", 1,            // 15: 200, body never read by the page, not recorded
      "GET /api/missing", 1);           // 16: 404, body not recorded

  @Test
  void chromiumHar_againstTheSameSiteAsNew_noFalseMismatch() throws Exception {
    Path json = dir.resolve("r.json");
    Run r;
    try (HarSiteBackend neu = HarSiteBackend.start()) {
      r = run("replay", HAR.toString(), "--new", neu.url(), "--json", json.toString(), "--progress", "none");
    }
    JsonNode report = JSON.readTree(json.toFile());
    JsonNode input = report.path("input");
    String diagnosis = "stdout:\n" + r.out() + "\nstderr:\n" + r.err() + "\nendpoints:\n"
        + String.join("\n", ReplayCommandTest.endpoints(report)) + "\ninput: " + input;
    SoftAssertions s = new SoftAssertions();

    // the input is complete: failed entries are not corrupt records, so parity is claimed and the exit code is 0
    s.assertThat(r.exit()).as("exit code; " + diagnosis).isEqualTo(ExitCodes.OK);
    s.assertThat(input.path("records").asLong()).as("input.records").isEqualTo(ENTRIES);
    s.assertThat(input.path("corrupt").asLong()).as("input.corrupt (failed browser entries are not corrupt)").isZero();
    s.assertThat(input.path("problems")).as("input.problems").isEmpty();
    s.assertThat(r.out()).as("stdout").doesNotContain("INPUT ERRORS").doesNotContain("incomplete input");
    s.assertThat(r.err()).as("stderr").doesNotContain("corrupt record");
    // 16 of the 19 entries are sent: not the aborted /api/slow (17), the other host (18), the unresolvable name (19).
    // The HEAD (13) is sent: its status and headers were recorded although Chromium marked it net::ERR_ABORTED.
    s.assertThat(input.path("sent").asLong()).as("input.sent").isEqualTo(16);

    // no false mismatch: every endpoint the completed requests make is compared, and matches
    s.assertThat(report.path("totals").path("mismatched").asLong()).as("totals.mismatched").isZero();
    s.assertThat(report.path("totals").path("errors").asLong()).as("totals.errors").isZero();
    s.assertThat(report.path("totals").path("compared").asLong()).as("totals.compared").isEqualTo(16);
    for (Map.Entry<String, Integer> want : new TreeMap<>(COMPARED).entrySet()) {
      JsonNode e = endpoint(report, want.getKey());
      s.assertThat(e).as(want.getKey() + " is in the report").isNotNull();
      if (e != null) {
        s.assertThat(e.path("compared").asLong()).as(want.getKey() + " compared").isEqualTo(want.getValue().longValue());
        s.assertThat(e.path("mismatched").asLong()).as(want.getKey() + " mismatched; fields " + e.path("fields")
            + " samples " + e.path("samples")).isZero();
        s.assertThat(e.path("errors").asLong()).as(want.getKey() + " errors " + e.path("errorKinds")).isZero();
        s.assertThat(e.path("notComparable")).as(want.getKey() + " notComparable").allSatisfy(n -> assertThat(n.asLong()).isZero());
      }
    }
    // nothing else is compared: not the other host's /cdn/pixel.png (18), which NEW (the site) does not serve
    List<String> compared = new ArrayList<>();
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("compared").asLong() > 0) {
        compared.add(e.path("endpoint").asText());
      }
      s.assertThat(e.path("verdict").asText()).as(e.path("endpoint").asText() + " verdict").isNotEqualTo("FAILING");
    }
    s.assertThat(compared).as("the endpoints compared").containsExactlyInAnyOrderElementsOf(COMPARED.keySet());

    // failed entries: skipped with their reason (aborted 17, unresolved 19), counted where input.ignored or
    // endpoints[].skipped count reasons today. Entry 19 is both failed and on another host: either reason will do.
    Map<String, Long> skips = skipReasons(report);
    long notCompleted = sum(skips, NOT_COMPLETED);
    long otherHost = sum(skips, OTHER_HOST);
    s.assertThat(sum(skips, Pattern.compile("(?i).*abort.*"))).as("a skip reason naming the abort (17); skips " + skips)
        .isGreaterThanOrEqualTo(1);
    s.assertThat(notCompleted).as("entries never completed (17, maybe 19); skips " + skips).isBetween(1L, 2L);
    // --host: by default the most frequent host (127.0.0.1:18321); the request to localhost (18) is other-host
    s.assertThat(otherHost).as("other-host entries (18, maybe 19); skips " + skips).isBetween(1L, 2L);
    s.assertThat(notCompleted + otherHost).as("entries 17, 18, 19 skipped, each under one reason; skips " + skips)
        .isEqualTo(3);
    s.assertThat(r.out() + r.err()).as("the default host is printed").containsPattern("(?i)host.*127\\.0\\.0\\.1");

    // NEW FIELD endpoints[].notCompared (issue 18 item 1): the bodies the browser did not keep are not compared, by
    // reason, never compared as empty. Only where a body certainly existed: the 301 and 302 (bodySize 11 and 22 on the
    // wire), the 200 and the 404 the page never read. (A HEAD or a 304 has no body: either way is right there.)
    for (String name : List.of("GET /old-home", "GET /login", "GET /api/session", "GET /api/missing")) {
      JsonNode e = endpoint(report, name);
      Map<String, Long> notCompared = counts(e == null ? null : e.path("partsNotCompared"));
      s.assertThat(sum(notCompared, BODY_NOT_RECORDED)).as(name + " endpoints[].partsNotCompared says its body was not recorded: "
          + (e == null ? "(no endpoint)" : e.path("partsNotCompared"))).isEqualTo(1);
    }
    // and the summary says so, in the words
    s.assertThat(r.out()).as("the summary names bodies not recorded").containsIgnoringCase("not recorded");
    s.assertAll();
  }

  @Test
  void chromiumHar_againstNewWithOneChangedAnswer_findsExactlyThatDifference() throws Exception {
    Path json = dir.resolve("r.json");
    Run r;
    try (HarSiteBackend neu = HarSiteBackend.startChanged()) {
      r = run("replay", HAR.toString(), "--new", neu.url(), "--json", json.toString(), "--progress", "none",
          "--fail-on", "mismatch");
    }
    JsonNode report = JSON.readTree(json.toFile());
    String diagnosis = "stdout:\n" + r.out() + "\nstderr:\n" + r.err() + "\nendpoints:\n"
        + String.join("\n", ReplayCommandTest.endpoints(report)) + "\ninput: " + report.path("input");
    SoftAssertions s = new SoftAssertions();
    // one real difference, and --fail-on mismatch fails on it
    s.assertThat(r.exit()).as("exit code; " + diagnosis).isEqualTo(ExitCodes.DIFFERENT);
    s.assertThat(report.path("input").path("corrupt").asLong()).as("input.corrupt").isZero();
    s.assertThat(report.path("totals").path("mismatched").asLong()).as("totals.mismatched").isEqualTo(1);
    List<String> failing = new ArrayList<>();
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("mismatched").asLong() > 0 || e.path("errors").asLong() > 0) {
        failing.add(e.path("endpoint").asText());
      }
    }
    s.assertThat(failing).as("the endpoints that differ or failed").containsExactly("GET /api/articles/{id}");
    JsonNode article = endpoint(report, "GET /api/articles/{id}");
    s.assertThat(article).as("GET /api/articles/{id} in the report").isNotNull();
    if (article != null) {
      s.assertThat(article.path("compared").asLong()).as("GET /api/articles/{id} compared").isEqualTo(3);
      s.assertThat(article.path("mismatched").asLong()).as("GET /api/articles/{id} mismatched").isEqualTo(1);
      s.assertThat(article.path("fields").size()).as("fields " + article.path("fields")).isEqualTo(1);
      s.assertThat(article.path("fields").path(0).path("field").asText()).isEqualTo("/comments");
      s.assertThat(article.path("fields").path(0).path("kind").asText()).isEqualTo("value");
      // the replay sends concurrently: find the sample by its request, not by its place
      List<JsonNode> differing = new ArrayList<>();
      article.path("samples").forEach(x -> {
        if (!x.path("differences").isEmpty()) {
          differing.add(x);
        }
      });
      s.assertThat(differing).as("samples with differences").hasSize(1);
      JsonNode sample = differing.isEmpty() ? JSON.createObjectNode() : differing.get(0);
      s.assertThat(sample.path("request").path("uri").asText()).isEqualTo("/api/articles/1");
      s.assertThat(sample.path("differences").size()).as("differences " + sample.path("differences")).isEqualTo(1);
      s.assertThat(sample.path("differences").path(0).path("field").asText()).isEqualTo("/comments");
      s.assertThat(sample.path("differences").path(0).path("old").asText()).isEqualTo("12");
      s.assertThat(sample.path("differences").path(0).path("new").asText()).isEqualTo("21");
    }
    // the HEAD of the same article has the same status and headers (Content-Length 100 both): no difference
    JsonNode head = endpoint(report, "HEAD /api/articles/{id}");
    s.assertThat(head == null ? -1 : head.path("mismatched").asLong()).as("HEAD /api/articles/{id} mismatched").isZero();
    s.assertThat(r.out()).as("stdout").contains("FAILED").contains("GET /api/articles/{id}");
    s.assertAll();
  }

  private static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Every reason a record was not replayed or not compared, with its count: {@code input.ignored} (records the
   * reader set aside) and {@code endpoints[].skipped} (requests set aside per endpoint), summed by reason.
   */
  private static Map<String, Long> skipReasons(JsonNode report) {
    Map<String, Long> all = new TreeMap<>(counts(report.path("input").path("ignored")));
    for (JsonNode e : report.path("endpoints")) {
      counts(e.path("skipped")).forEach((k, v) -> all.merge(k, v, Long::sum));
    }
    return all;
  }

  /** A JSON object of counts by reason (absent or not an object: none). */
  private static Map<String, Long> counts(JsonNode object) {
    Map<String, Long> m = new TreeMap<>();
    if (object != null && object.isObject()) {
      object.fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asLong()));
    }
    return m;
  }

  private static long sum(Map<String, Long> counts, Pattern reason) {
    return counts.entrySet().stream().filter(e -> reason.matcher(e.getKey()).matches()).mapToLong(Map.Entry::getValue).sum();
  }
}
